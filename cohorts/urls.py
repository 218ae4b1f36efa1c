from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("", views.index, name="index"),
    path("people/", views.people_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/search/", views.people_search, name="people_search"),
    path("people/export.csv", views.people_export, name="people_export"),
    path("people/import/", views.import_upload, name="import"),
    path("people/import/template.csv", views.import_template, name="import_template"),
    path("people/import/demo.csv", views.import_demo_file, name="import_demo_file"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("programs/<int:program_id>/plan/", views.plan_detail, name="plan"),
    path("programs/<int:program_id>/plan/generate/", views.plan_generate, name="plan_generate"),
    path("programs/<int:program_id>/plan/move/", views.member_move, name="member_move"),
    path("programs/<int:program_id>/schedule/", views.program_schedule, name="schedule"),
    path("programs/<int:program_id>/invite/", views.program_invite, name="program_invite"),
    path("programs/<int:program_id>/timeline/", views.timeline, name="timeline"),
    path("programs/<int:program_id>/team/", views.team_overview, name="team"),
    path("programs/<int:program_id>/nominate/", views.member_nominate, name="nominate"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/split/", views.cohort_split, name="cohort_split"),
    path("cohorts/<int:pk>/merge/", views.cohort_merge, name="cohort_merge"),
    path("cohorts/<int:cohort_id>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/invite/", views.session_invite, name="session_invite"),
    path("sessions/<int:pk>/sign-up/", views.session_sign_up, name="session_sign_up"),
    path("enrollments/<int:pk>/attendance/", views.attendance_mark, name="attendance_mark"),
    path("enrollments/<int:pk>/cancel/", views.enrollment_cancel, name="enrollment_cancel"),
    path("members/<int:pk>/decide/", views.member_decide, name="member_decide"),
    path("my/team/", views.my_team_programs, name="my_team"),
    path("my/sessions/", views.my_sessions, name="my_sessions"),
    path("my/sessions.ics", views.my_calendar, name="my_calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
