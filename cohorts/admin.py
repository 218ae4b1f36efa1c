from django.contrib import admin

from .models import (
    AccountGroup,
    Cohort,
    CohortMember,
    Enrollment,
    ImportJob,
    Location,
    Person,
    Region,
    Session,
    Team,
    Wave,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "time_zone"]
    list_filter = ["region"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "manager"]
    list_filter = ["region"]
    search_fields = ["name", "manager__last_name"]
    raw_id_fields = ["manager"]


@admin.register(AccountGroup)
class AccountGroupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "title", "level", "function", "team", "region", "is_active"]
    list_filter = ["level", "function", "region", "is_active"]
    search_fields = ["first_name", "last_name", "email", "title"]
    list_select_related = ["team", "region"]
    raw_id_fields = ["manager", "user"]
    filter_horizontal = ["account_groups"]
    readonly_fields = ["org_path"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "created_at", "created_count", "updated_count", "unchanged_count"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = ["errors"]


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    fields = ["name", "sequence", "is_leaders", "is_open", "capacity"]


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ["program", "number", "name", "kind"]
    list_filter = ["kind"]
    inlines = [CohortInline]


@admin.register(CohortMember)
class CohortMemberAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "cohort", "status"]
    list_filter = ["status", "program"]
    raw_id_fields = ["person", "cohort", "decided_by"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "time_zone", "mode", "capacity", "trainer"]
    list_filter = ["mode"]
    raw_id_fields = ["cohort", "trainer"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["person", "session", "status", "attendance", "invited_at"]
    list_filter = ["status", "attendance"]
    raw_id_fields = ["person", "session", "marked_by"]
