from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "reinforcement.practice"
    label = "practice"
    verbose_name = "Practice"
