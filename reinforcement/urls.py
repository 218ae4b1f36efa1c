from django.urls import path

from . import views

app_name = "reinforcement"

urlpatterns = [
    path("help/", views.stage_help, name="help"),
    path("team/", views.team_matrix, name="matrix"),
    path("overdue/", views.overdue, name="overdue"),
    path("home/coaching-counts/", views.home_coaching_counts, name="home_coaching_counts"),
    path("coaching/", views.coaching_list, name="coaching_list"),
    path("coaching/new/", views.coaching_new, name="coaching_new"),
    path("coaching/<int:pk>/", views.coaching_detail, name="coaching_detail"),
    path("coaching/<int:pk>/next-step-done/", views.coaching_step_done, name="coaching_step_done"),
    path("people/<int:pk>/", views.person_progress, name="person"),
    path("me/", views.my_progress, name="my_progress"),
    path("me/leave/", views.leave_add, name="leave_add"),
    path("inbox/", views.inbox, name="inbox"),
    path("cards/<int:pk>/answer/", views.card_answer, name="answer"),
    path("a/<str:token>/", views.answer_by_link, name="answer_link"),
    path("questions/", views.question_list, name="questions"),
    path("questions/new/", views.question_new, name="question_new"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/observe/", views.plan_observe, name="plan_observe"),
    path("programs/<int:program_pk>/assessments/", views.assessments, name="assessments"),
    path(
        "programs/<int:program_pk>/assessments/import/", views.assessments_import, name="assessments_import"
    ),
    path("programs/<int:program_pk>/rules/", views.program_rules, name="rules"),
    path(
        "programs/<int:program_pk>/rules/spacing/defaults/", views.spacing_defaults, name="spacing_defaults"
    ),
    path("programs/<int:program_pk>/rules/spacing/resume/", views.spacing_resume, name="spacing_resume"),
    path(
        "programs/<int:program_pk>/rules/spacing/reschedule/",
        views.spacing_reschedule,
        name="spacing_reschedule",
    ),
    path(
        "programs/<int:program_pk>/rules/spacing/reschedule/progress/",
        views.spacing_reschedule_progress,
        name="spacing_reschedule_progress",
    ),
    path("feedback/", views.feedback_results, name="feedback_results"),
    path("feedback/mine/", views.my_feedback, name="my_feedback"),
    path("feedback/sessions/<int:session_pk>/", views.feedback_form, name="feedback_form"),
]
