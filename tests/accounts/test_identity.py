"""Handles, phones, masked names and the recipient lookup (issue 15; issue 13 finding 2)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.forms import ProfileForm
from accounts.identity import masked_name, phone_in_e164
from wallet import selectors
from wallet.models import Wallet


def _set(user, **fields):
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    return user


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("08031234567", "+2348031234567"),
        ("0803 123 4567", "+2348031234567"),
        ("+234 803 123 4567", "+2348031234567"),
        ("2348031234567", "+2348031234567"),  # the country code without its +
        ("0803123", None),
        ("٠٨٠٣١٢٣٤٥٦٧", None),
        ("0803\x001234567", None),
        ("", None),
    ],
)
def test_phone_numbers_are_read_in_234_form_or_refused(typed, e164):
    assert phone_in_e164(typed) == e164


@pytest.mark.parametrize(
    ("first", "last", "handle", "shown"),
    [
        ("Bola", "Ade", "", "Bola A."),
        ("bola", "ade", "", "bola A."),
        ("Bola", "", "", "Bola"),
        ("", "", "bolaa", "@bolaa"),
        ("", "", "", "A wallet customer"),
    ],
)
def test_masked_name_never_shows_an_email(make_user, first, last, handle, shown):
    user = make_user(email="secret@example.com", first_name=first, last_name=last, handle=handle)
    assert masked_name(user) == shown


@pytest.mark.django_db
def test_handles_are_unique_whatever_the_case(user, other_user):
    _set(user, handle="Ada")
    with pytest.raises(IntegrityError), transaction.atomic():
        _set(other_user, handle="aDA")


@pytest.mark.django_db
def test_phones_are_unique(user, other_user):
    _set(user, phone="+2348031234567")
    with pytest.raises(IntegrityError), transaction.atomic():
        _set(other_user, phone="+2348031234567")


@pytest.mark.django_db
def test_many_users_may_have_no_handle_or_phone_yet(user, other_user):
    assert (user.handle, other_user.handle, user.phone, other_user.phone) == ("", "", "", "")


def _profile(user, **changes):
    data = {"first_name": user.first_name, "last_name": user.last_name, "phone": "", **changes}
    return ProfileForm(data, instance=user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handle", "reason"),
    [
        ("ab", "3 to 20"),
        ("9lives", "starting with a letter"),
        ("ada-obi", "3 to 20"),
        ("a" * 21, "3 to 20"),
        ("admin", "reserved"),
        ("Support", "reserved"),
    ],
)
def test_a_handle_must_follow_the_rules(user, handle, reason):
    form = _profile(user, handle=handle)
    assert not form.is_valid()
    assert reason in " ".join(form.errors["handle"])


@pytest.mark.django_db
def test_a_taken_handle_is_refused_in_any_case(user, other_user):
    _set(other_user, handle="tunde")
    form = _profile(user, handle="@TUNDE")
    assert not form.is_valid()
    assert form.errors["handle"] == ["That handle is taken. Try another."]


@pytest.mark.django_db
def test_the_first_handle_is_free_then_it_can_change_once_every_30_days(user):
    first = _profile(user, handle="@alice")
    assert first.is_valid(), first.errors
    first.save()
    user.refresh_from_db()
    assert user.handle == "alice" and user.handle_changed_at is not None

    too_soon = _profile(user, handle="alice2")
    assert not too_soon.is_valid()
    assert "You can change your handle again on" in too_soon.errors["handle"][0]

    recased = _profile(user, handle="Alice")  # only the case: not a change of handle
    assert recased.is_valid(), recased.errors

    _set(user, handle_changed_at=timezone.now() - dt.timedelta(days=31))
    later = _profile(user, handle="alice2")
    assert later.is_valid(), later.errors


@pytest.mark.django_db
def test_find_recipient_by_handle_email_phone_or_code(user, other_wallet):
    bob = _set(other_wallet.user, handle="bobby", phone="+2348031234567")
    for query in (
        "@bobby",
        "BOBBY",
        "bob@EXAMPLE.com",
        "0803 123 4567",
        "+2348031234567",
        other_wallet.public_id.lower(),
        other_wallet.public_code,
    ):
        found = selectors.find_recipient(query)
        assert found is not None and found.pk == other_wallet.pk, query
    assert masked_name(found.user) == "Bob B." and bob.pk == found.user.pk


@pytest.mark.django_db
def test_find_recipient_never_walks_ids_or_guesses(other_wallet):
    pk = other_wallet.pk
    queries = (str(pk), f"#{pk}", "bob", "@bob", "", "\x00", "²", "@")
    # "@" alone must not match the customers who have no handle yet
    assert [selectors.find_recipient(query) for query in queries] == [None] * len(queries)


@pytest.mark.django_db
def test_find_recipient_skips_deactivated_customers(other_wallet):
    _set(other_wallet.user, is_active=False)
    assert selectors.find_recipient("bob@example.com") is None


@pytest.mark.django_db
def test_every_wallet_gets_a_random_public_id(user, other_user):
    codes = {Wallet.objects.create(user=u).public_id for u in (user, other_user)}
    assert len(codes) == 2
    assert all(len(code) == 10 and not code.isdigit() for code in codes)
