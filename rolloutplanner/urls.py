from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path

from cohorts.accounts import sso
from cohorts.accounts import views as account_views

from . import views


@login_not_required
def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", sso.LoginView.as_view(), name="login"),
    path("accounts/sso/", include(sso)),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/", include("cohorts.accounts.urls")),
    path("admin/", admin.site.urls),
    path("programs/", include("programs.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("reinforcement/", include("reinforcement.urls")),
    path("dashboard/", include("reinforcement.measurement.urls")),
    path("practice/", include("reinforcement.practice.urls")),
    path("leadership/", include("reinforcement.leadership.urls")),
    path("api/", include("rolloutplanner.api_urls")),
    path("account/api-token/", views.api_token, name="api_token"),
]

handler400 = "rolloutplanner.errors.bad_request"
handler403 = "rolloutplanner.errors.permission_denied"
handler404 = "rolloutplanner.errors.page_not_found"
handler500 = "rolloutplanner.errors.server_error"
