from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "reinforcement.leadership"
    label = "leadership"
    verbose_name = "Leadership follow-through"
