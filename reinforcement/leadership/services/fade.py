"""Fade alarms: placeholder until the weekly check lands."""


def fade_alarms_refresh(*, today=None):
    return 0
