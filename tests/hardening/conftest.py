"""The measured program of the dashboard tests is reused for hostile input to the same endpoints."""

from tests.measurement.conftest import measured, today  # noqa: F401 (fixtures)
