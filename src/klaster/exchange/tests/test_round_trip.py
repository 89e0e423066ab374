"""Export → import changes nothing: on the demo data, on a synthetic registry (parks with their card fields,
sites with specialised organisations, participants with ОГРН), in every format."""

import pytest

from klaster.exchange import export
from klaster.exchange.importer import import_file
from klaster.exchange.tests.test_import import flat_rows, write_csv
from klaster.registry import park_card
from klaster.registry.models import Site
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def inns():
    return [factories.valid_inn() for _ in range(4)]


def assert_round_trip(tmp_path, kinds, fmt: str) -> None:
    for kind in kinds:
        out = tmp_path / f"{kind}.{fmt}"
        assert export.write(kind, fmt, out) > 0
        run = import_file(out, kind)
        assert run.status == "done", (kind, run.errors[:3], run.message)
        changed = {k: v for k, v in run.counts.items() if k.endswith(("created", "updated")) and v}
        assert changed == {}, (kind, run.counts)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_changes_nothing(tmp_path, inns, fmt):
    from klaster.registry.demo import load_demo

    load_demo()
    import_file(write_csv(tmp_path / "seed.csv", flat_rows(inns)), "clusters")
    assert_round_trip(tmp_path, ("organizations", "clusters", "parks", "sez"), fmt)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_a_synthetic_registry_round_trips_in_every_layout(tmp_path, fmt):
    from klaster.registry.synth import generate
    from klaster.registry.synth.database import write_database

    write_database(generate(sites=40, organizations=400, seed=11))
    parks = Site.objects.filter(kind__in=export.SITE_KINDS["parks"])
    assert parks.exclude(area_ha=None).exists() and parks.exclude(management_company_ownership="").exists()
    assert Site.objects.exclude(manager=None).exists()
    assert_round_trip(tmp_path, ("organizations", "clusters", "parks", "sez"), fmt)
    head = export.head("parks")
    at = head.index("ОГРН участника")
    assert head[at : at + 6] == ["ОГРН участника", "Специализация", "ИНН управляющей компании", "Площадь, га",
                                 "Площадь зданий, м²", "Форма собственности"]  # fmt: skip
    assert head[at + 6 :] == [f.label for f in park_card.FIELDS]
