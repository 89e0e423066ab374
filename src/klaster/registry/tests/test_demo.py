import pytest

from klaster.core.models import SourceKind
from klaster.registry.demo import load_demo
from klaster.registry.models import Membership, Organization, ReportedFigure, Site

pytestmark = pytest.mark.django_db


def _history_rows() -> int:
    return sum(m.history.count() for m in (Organization, Site, Membership, ReportedFigure))


def test_demo_loads_the_real_objects_from_the_news():
    counts = load_demo()
    assert counts == {"organizations": 13, "sites": 14, "memberships": 3, "reported_figures": 12}
    kaluga_sez = Site.objects.get(name="ОЭЗ «Калуга»")
    anchor = kaluga_sez.memberships.get()
    assert (anchor.organization.full_name, anchor.role) == ("HAYAT", "anchor")
    north_gate = Site.objects.get(name="Северные ворота")
    assert north_gate.host.name == "ОЭЗ «Алабуга»"
    assert north_gate.memberships.get().organization.full_name == "Сибур"
    pharma = Site.objects.get(name="Фармацевтический кластер Калужской области")
    assert pharma.current_status == "being_created" and pharma.current_status_on is None  # date not published
    assert [r.code for r in pharma.regions.all()] == ["40"]
    assert Site.objects.get(name__contains="удобрений").current_status == "announced"
    assert ReportedFigure.objects.get(metric="industrial_clusters_in_registry").value == 41
    assert ReportedFigure.objects.get(metric="industrial_clusters").value == 61
    assert all(s.source and s.source_kind == SourceKind.DEMO for s in Site.objects.all())
    # Nothing invented: no ИНН is known for the companies in the news.
    assert not Organization.objects.exclude(inn=None).exists()


def test_demo_is_idempotent():
    load_demo()
    before = _history_rows()
    assert load_demo() == {"organizations": 0, "sites": 0, "memberships": 0, "reported_figures": 0}
    assert _history_rows() == before
