"""Suite-wide fixtures: the reference data (regions, ОКВЭД2, ОКПД2) is loaded once per test database."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from klaster.registry.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()
