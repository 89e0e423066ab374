"""Suite-wide fixtures: the reference data (regions, ОКВЭД2, ОКПД2) is loaded once per test database."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from klaster.registry.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    """Each test gets its own empty cache: cached aggregates must never leak between tests' data."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data_survives_flush(request):
    """Transactional tests (live server, subprocesses) end with a flush that empties every table,
    the reference tables included: load them before such a test and again after it."""
    transactional = any(name in request.fixturenames for name in ("transactional_db", "live_server"))
    marker = request.node.get_closest_marker("django_db")
    transactional = transactional or bool(marker and marker.kwargs.get("transaction"))
    if transactional:
        from klaster.registry.reference import load_reference

        request.getfixturevalue("transactional_db")
        load_reference()
    yield
    if transactional:
        load_reference()
