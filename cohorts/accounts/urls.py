from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .throttling import password_reset_throttled

app_name = "accounts"

urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/<int:pk>/", views.person_account, name="person"),
    path("users/<int:pk>/role/", views.role_set, name="role_set"),
    path("users/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("users/<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("users/<int:pk>/invite/", views.invitation_send, name="invitation_send"),
    path("users/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/", views.invite, name="invite"),
    path("invitations/selected/", views.invite_selected, name="invite_selected"),
    path("invitations/<int:pk>/", views.job_detail, name="job"),
    path("invitations/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("welcome/<uidb64>/<token>/", views.WelcomeView.as_view(), name="welcome"),
    path("calendar-feed/rotate/", views.calendar_feed_rotate, name="feed_rotate"),
    path(
        "password-reset/",
        password_reset_throttled(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
