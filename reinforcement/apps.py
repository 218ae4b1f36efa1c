from django.apps import AppConfig


class ReinforcementConfig(AppConfig):
    name = "reinforcement"
    verbose_name = "Reinforcement and coaching"
