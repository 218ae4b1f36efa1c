from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("", views.index, name="index"),
    path("scenarios/new/", views.scenario_edit, name="scenario_new"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/edit/", views.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:scenario_pk>/write/", views.attempt_write, name="attempt_write"),
    path("scenarios/<int:scenario_pk>/uploads/", views.upload_start, name="upload_start"),
    path("uploads/<uuid:pk>/", views.upload, name="upload"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:pk>/recording/", views.attempt_recording, name="recording"),
    path("reviews/", views.reviews, name="reviews"),
    path("programs/<int:program_pk>/", views.program_settings, name="program_settings"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("leaderboard/name/", views.hide_name, name="hide_name"),
]
