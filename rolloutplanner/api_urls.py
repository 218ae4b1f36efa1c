from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .api import APIRootView, api_not_found

# DRF views are exempt from LoginRequiredMiddleware; their own permission classes apply.
urlpatterns = [
    path("me/", APIRootView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("reinforcement.measurement.api_urls")),
    # Keep last: unknown API paths answer with a JSON 404.
    re_path(r"^.*$", api_not_found),
]
