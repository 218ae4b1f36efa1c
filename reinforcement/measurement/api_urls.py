from django.urls import path

from . import api

urlpatterns = [
    path("metric-actuals/", api.MetricActualList.as_view(), name="api-metric-actuals"),
    path("programs/", api.ProgramList.as_view(), name="api-programs"),
    path("programs/<int:pk>/", api.ProgramDetail.as_view(), name="api-program"),
    path("programs/<int:pk>/cohorts/", api.ProgramCohorts.as_view(), name="api-program-cohorts"),
    path("programs/<int:pk>/adoption/", api.AdoptionView.as_view(), name="api-program-adoption"),
    path("stages/", api.StageList.as_view(), name="api-stages"),
    path("coaching-sessions/", api.CoachingList.as_view(), name="api-coaching-sessions"),
]
