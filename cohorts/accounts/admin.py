from django.contrib import admin

from .models import Account, InvitationJob, RoleChange


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["person", "role_override", "invited_at", "password_set_at", "deactivated_at"]
    search_fields = ["person__email", "person__last_name"]
    raw_id_fields = ["person", "invited_by", "deactivated_by", "invitation_job"]
    exclude = ["link_key", "feed_key"]


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The audit trail is read-only: role changes go through the users page or the import."""

    list_display = ["changed_at", "person", "user", "from_role", "to_role", "source", "changed_by"]
    list_filter = ["source", "to_role"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvitationJob)
class InvitationJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "scope", "status", "total", "sent_count", "skipped_count"]
    readonly_fields = [f.name for f in InvitationJob._meta.fields]
