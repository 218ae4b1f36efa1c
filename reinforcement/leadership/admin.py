from django.contrib import admin

from .models import BriefDelivery, FadeAlarm, FollowUp, Recognition, ReviewMeeting, TeamSession


@admin.register(TeamSession)
class TeamSessionAdmin(admin.ModelAdmin):
    list_display = ("program_skill", "manager", "starts_at", "recorded_at")
    list_filter = ("program",)


@admin.register(BriefDelivery)
class BriefDeliveryAdmin(admin.ModelAdmin):
    list_display = ("program", "week", "recipient", "status", "attempts", "sent_at")
    list_filter = ("status", "program")


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(admin.ModelAdmin):
    list_display = ("program", "held_on", "recorded_by")
    inlines = [FollowUpInline]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "giver", "person", "team", "program")


@admin.register(FadeAlarm)
class FadeAlarmAdmin(admin.ModelAdmin):
    list_display = ("program", "team", "week", "signals", "causes")
