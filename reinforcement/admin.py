from django.contrib import admin

from .models import (
    ActionPlan,
    AssessmentResult,
    Card,
    CoachingRating,
    CoachingSession,
    Delivery,
    FeedbackResponse,
    Leave,
    Nudge,
    Question,
    ReinforcementRules,
    RescheduleJob,
    ReviewLog,
    SkillStage,
    StageEvent,
)


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "person", "status", "due_at", "attempts", "sent_at", "answered_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["person", "card"]
    search_fields = ["idempotency_key", "person__email"]


@admin.register(SkillStage)
class SkillStageAdmin(admin.ModelAdmin):
    list_display = ["person", "program_skill", "stage", "updated_at"]
    list_filter = ["stage"]
    raw_id_fields = ["person", "program_skill"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "skill", "is_active"]
    list_filter = ["skill", "is_active"]


class CoachingRatingInline(admin.TabularInline):
    model = CoachingRating
    raw_id_fields = ["seller"]


@admin.register(RescheduleJob)
class RescheduleJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "program", "trigger", "policy_version", "status", "processed", "total"]
    list_filter = ["status", "trigger"]
    readonly_fields = [f.name for f in RescheduleJob._meta.fields]


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    list_display = ["kind", "manager", "occurred_on"]
    raw_id_fields = ["manager", "sellers"]
    inlines = [CoachingRatingInline]


for model in (
    ActionPlan,
    AssessmentResult,
    Card,
    Delivery,
    FeedbackResponse,
    Leave,
    ReinforcementRules,
    ReviewLog,
    StageEvent,
):
    admin.site.register(model)
