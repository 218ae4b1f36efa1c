from django.contrib import admin

from .models import Metric, Program, ProgramMetric, ProgramSkill, Skill


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


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "owner", "participation", "rollout", "participant_mix", "updated_at"]
    list_filter = ["status", "participation", "rollout"]
    search_fields = ["name", "audience_description"]
    inlines = [ProgramMetricInline, ProgramSkillInline]
