"""A profile's rules answers are computed once per version of the records behind them."""

from datetime import date

import pytest

from klaster.registry import services
from klaster.registry.tests import factories
from klaster.web import navigator

pytestmark = pytest.mark.django_db


def test_the_same_records_reuse_the_answer_a_change_recomputes_it(monkeypatch):
    calls = []
    real = navigator.evaluate
    monkeypatch.setattr(navigator, "evaluate", lambda data: calls.append(1) or real(data))
    org = factories.organization(size="medium")
    on = date(2025, 6, 1)
    first = navigator.for_organization(org, on)
    again = navigator.for_organization(org, on)
    assert len(calls) == 1 and again.answers == first.answers and first.answers
    services.organization_update(organization=org, user=None, size="large")
    changed = navigator.for_organization(org, on)
    assert len(calls) == 2 and changed.rules_version == first.rules_version
    navigator.for_organization(org, date(2025, 6, 2))  # another day is another question
    assert len(calls) == 3
