"""Reinforcement fixtures (a launched program, a seller with cards) reused for answer links."""

from tests.reinforcement.conftest import bank, enrolled, learned, program, program_skills, skills  # noqa: F401
