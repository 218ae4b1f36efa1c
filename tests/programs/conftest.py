import pytest

from tests.factories import ProgramFactory, make_ready_program


@pytest.fixture
def draft(org):
    """A draft program owned by the lead, with no readiness answers."""
    return ProgramFactory(owner=org.lead, name="Draft program")


@pytest.fixture
def ready(org):
    """A program owned by the lead with all four readiness questions complete."""
    return make_ready_program(owner=org.lead, name="Ready program")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas' passwords need no real hashing here; it keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
