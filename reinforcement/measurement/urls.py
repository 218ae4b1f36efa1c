from django.urls import path

from . import views

app_name = "measurement"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.csv", views.dashboard_csv, name="export"),
    path("refresh/", views.refresh, name="refresh"),
    path("health/", views.program_health_default, name="health_default"),
    path("programs/<int:pk>/health/", views.program_health, name="health"),
    path("actuals/import/", views.actuals_import, name="actuals_import"),
]
