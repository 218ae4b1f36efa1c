from django.urls import path

from . import views

app_name = "leadership"

urlpatterns = [
    path("kits/", views.kits_index, name="kits"),
    path("kits/<int:pk>/", views.kit_detail, name="kit"),
    path("kits/<int:pk>/schedule/", views.session_new, name="session_new"),
    path("sessions/", views.sessions_overview, name="sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/invite/", views.session_invite, name="session_invite"),
    path("sessions/<int:pk>/invite.ics", views.session_ics_download, name="session_ics"),
    path("alarms/", views.alarms, name="alarms"),
    path("recognise/", views.recognise, name="recognise"),
    path("programs/<int:pk>/brief/", views.brief, name="brief"),
    path("programs/<int:pk>/reviews/", views.reviews, name="reviews"),
    path("follow-ups/<int:pk>/done/", views.follow_up_mark_done, name="follow_up_done"),
]
