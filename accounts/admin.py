from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People are never deleted (money and history stay); staff deactivate a customer through
    the confirmed "Deactivate customer" action on their page."""

    ordering = ["email"]
    list_display = [
        "email", "first_name", "last_name", "handle", "is_staff", "is_active", "date_joined",
        "page",
    ]  # fmt: skip
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name", "handle", "phone"]
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "phone", "handle")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    change_form_template = "backoffice/change_form.html"

    @admin.display(description="Customer page")
    def page(self, user):
        return format_html('<a href="{}">Open 360</a>', reverse("admin:customer", args=[user.pk]))

    def get_search_results(self, request, queryset, search_term):
        """A phone as a caller says it (0803 000 0001, 08030000001, 234…) finds the +234 one."""
        from wallet.selectors.global_search import phone_of

        phone = phone_of(search_term.strip())
        if phone:
            return queryset.filter(phone=phone), False
        return super().get_search_results(request, queryset, search_term)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The user's page links to the customer page and offers the customer's actions."""
        if obj is not None:
            from wallet.services.backoffice import actions

            context["page_links"] = [("Customer page", reverse("admin:customer", args=[obj.pk]))]
            context["staff_actions"] = actions.actions_for(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_delete_permission(self, request, obj=None):
        return False
