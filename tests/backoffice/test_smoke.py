import pytest

pytestmark = pytest.mark.django_db


def test_every_back_office_list_and_the_dashboard_render_for_a_superuser(
    superuser_client, funded_wallet
):
    from django.contrib import admin

    assert superuser_client.get("/admin/").status_code == 200
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert superuser_client.get(url).status_code == 200, url
