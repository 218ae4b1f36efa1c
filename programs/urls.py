from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.program_create, name="create"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("how-we-recommend/", views.how_we_recommend, name="how_we_recommend"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/edit/", views.program_edit, name="edit"),
    path("<int:pk>/status/", views.program_status, name="status"),
    path("<int:pk>/readiness/metrics/", views.readiness_metrics, name="readiness_metrics"),
    path("<int:pk>/readiness/skills/", views.readiness_skills, name="readiness_skills"),
    path("<int:pk>/readiness/gaps/", views.readiness_gaps, name="readiness_gaps"),
    path("<int:pk>/readiness/reinforcement/", views.readiness_reinforcement, name="readiness_reinforcement"),
    path("<int:pk>/design/", views.design, name="design"),
    path("<int:pk>/design/<slug:kind>/", views.design_decide, name="decide"),
    path("<int:pk>/buy-in/", views.buy_in, name="buy_in"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/coalition/", views.coalition, name="coalition"),
]
