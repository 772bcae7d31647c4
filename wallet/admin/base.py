"""What the back office's money screens share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money rows are changed only by services (through admin actions), never by editing them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
