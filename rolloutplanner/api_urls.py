from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .api import APIRootView, api_not_found

docs_view = login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

# DRF views are exempt from LoginRequiredMiddleware; their own permission classes apply.
urlpatterns = [
    path("me/", APIRootView.as_view(), name="api-me"),
    # Schema: JSON 401/403 without a login (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); the
    # docs page sends people to the login page. The split view serves its script as a file (CSP).
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"
    ),
    path("", include("reinforcement.measurement.api_urls")),
    # Keep last: unknown API paths answer with a JSON 404.
    re_path(r"^.*$", api_not_found),
]
