from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path

from . import views


@login_not_required
def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("programs/", include("programs.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("reinforcement/", include("reinforcement.urls")),
    path("dashboard/", include("reinforcement.measurement.urls")),
    path("leadership/", include("reinforcement.leadership.urls")),
    path("api/", include("rolloutplanner.api_urls")),
    path("account/api-token/", views.api_token, name="api_token"),
]
