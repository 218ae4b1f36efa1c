"""Reinforcement fixtures (a launched program, a seller with cards) reused for answer links."""

from tests.reinforcement.conftest import bank, enrolled, learned, program, program_skills, skills  # noqa: F401


def signs_in(client, username, password):
    """Sign in through the login page, as a person would (works with any auth backend)."""
    from django.urls import reverse

    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session
