from django.contrib import admin

from .models import Attempt, Certificate, CertificationRule, Competition, PointEntry, Review, Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("title", "skill", "is_active", "is_starter")
    list_filter = ("skill", "is_active")


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("person", "scenario", "program", "number", "kind", "status", "submitted_at")
    list_filter = ("status", "kind", "program")
    raw_id_fields = ("person",)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("attempt", "reviewer", "score", "by_manager", "created_at")
    raw_id_fields = ("attempt", "reviewer")


@admin.register(PointEntry)
class PointEntryAdmin(admin.ModelAdmin):
    list_display = ("person", "program", "kind", "points", "source_key", "earned_at")
    list_filter = ("kind",)
    raw_id_fields = ("person",)


admin.site.register([CertificationRule, Certificate, Competition])
