from django.contrib import admin

from .models import AccountGroup, Location, Person, Region, Team


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
