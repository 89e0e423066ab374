"""The rules' tests need no Django: the suite-wide cache fixture is replaced here by a no-op, so
`pytest src/klaster/rules -p no:django` runs without settings or a database."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rules never touch Django's cache."""
    yield
