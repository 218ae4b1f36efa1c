from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    name = "reinforcement.measurement"
    label = "measurement"
    verbose_name = "Dashboards and measurement"
