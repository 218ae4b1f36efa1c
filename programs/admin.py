from django.contrib import admin

from .models import (
    BuyInPlan,
    DesignDecision,
    ManagerEngagement,
    Metric,
    Program,
    ProgramChange,
    ProgramMetric,
    ProgramSkill,
    ReinforcementPlan,
    Skill,
    SkillGap,
    Touchpoint,
)


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["name", "default_unit", "default_direction", "is_builtin"]
    search_fields = ["name"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "is_builtin"]
    search_fields = ["name"]


class ProgramMetricInline(admin.TabularInline):
    model = ProgramMetric
    extra = 0


class ProgramSkillInline(admin.TabularInline):
    model = ProgramSkill
    extra = 0


class SkillGapInline(admin.TabularInline):
    model = SkillGap
    extra = 0


class DesignDecisionInline(admin.TabularInline):
    model = DesignDecision
    extra = 0
    readonly_fields = ["recommended", "recommendation_summary", "decided_by", "decided_at"]


class TouchpointInline(admin.TabularInline):
    model = Touchpoint
    extra = 0


class ManagerEngagementInline(admin.TabularInline):
    model = ManagerEngagement
    extra = 0


class ProgramChangeInline(admin.TabularInline):
    model = ProgramChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "user", "summary", "details"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "owner", "participation", "rollout", "participant_mix", "updated_at"]
    list_filter = ["status", "participation", "rollout"]
    search_fields = ["name", "audience_description"]
    inlines = [
        ProgramMetricInline,
        ProgramSkillInline,
        SkillGapInline,
        DesignDecisionInline,
        TouchpointInline,
        ManagerEngagementInline,
        ProgramChangeInline,
    ]


admin.site.register(ReinforcementPlan)
admin.site.register(BuyInPlan)
