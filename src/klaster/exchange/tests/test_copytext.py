"""The bulk writer's own COPY text (PostgreSQL) and array parameters store and find exactly what the ORM
would: every escape of the text format, each field type, types it hands to psycopg, and the defaults."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import DataError, connection, transaction
from django.db.models import IntegerChoices
from django.utils import timezone

from klaster.core.models import SourceKind
from klaster.exchange import bulk, copytext, references
from klaster.exchange.arrays import any_of, in_chunks
from klaster.exchange.models import ImportRun, ImportStatus
from klaster.registry.models import Organization, Site
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db

AWKWARD = ["таб\tи\nперевод\rстроки", "обратная \\ черта и \\N", "\\.", "", " ", '«кавычки» "и" {скобки}, запятые']


def test_text_with_every_escape_of_the_copy_format_is_stored_as_given():
    now = timezone.now()
    rows = [
        {"inn": factories.valid_inn(), "full_name": name, "short_name": name[:5], "region_id": "40"} for name in AWKWARD
    ]
    ids = bulk.insert(Organization, rows, now=now)
    stored = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    assert [stored[pk] for pk in ids] == AWKWARD
    org = Organization.objects.get(pk=ids[0])
    # what the row did not give: the model's defaults; created/updated: the import's one time
    assert (org.kind, org.kpp, org.technological_company, org.spic_since, org.okved_id) == (
        "company",
        "",
        None,
        None,
        None,
    )
    assert org.created == now and org.updated == now and org.short_name == AWKWARD[0][:5]


def test_each_field_type_and_a_type_psycopg_dumps():
    now = datetime(2026, 12, 3, 10, 48, 5, 123456, tzinfo=UTC)
    [run_id] = bulk.insert(
        ImportRun,
        [
            {
                "kind": "clusters",
                "file_name": "реестр\t2026.csv",
                "size": 2**40,
                "dry_run": True,
                "status": ImportStatus.DONE,  # a TextChoices member: stored as its value
                "counts": {"rows": 3, "заметка": 'таб\t, "кавычки", \\ и\nстрока'},  # JSON: psycopg's dumper
                "errors": [],
                "finished": now,
            }
        ],
        now=now,
    )
    run = ImportRun.objects.get(pk=run_id)
    assert (run.file_name, run.size, run.dry_run, run.status) == ("реестр\t2026.csv", 2**40, True, "done")
    assert run.counts == {"rows": 3, "заметка": 'таб\t, "кавычки", \\ и\nстрока'} and run.errors == []
    assert run.finished == now and run.created == now and run.message == "" and run.created_by_id is None
    [site_id] = bulk.insert(
        Site,
        [
            {
                "kind": "industrial_park",
                "name": "Парк",
                "area_ha": Decimal("1234567890.25"),
                "current_status_on": date(2024, 5, 29),
            }
        ],
        now=now,
    )
    site = Site.objects.get(pk=site_id)
    assert (site.area_ha, site.current_status_on, site.building_area_m2) == (
        Decimal("1234567890.25"),
        date(2024, 5, 29),
        None,
    )
    assert site.source_kind == "manual" and site.created == now


class Stamp(datetime):
    """A datetime of another library (pendulum's and freezegun's are subclasses like this)."""


class Size(IntegerChoices):
    HUGE = 2**40, "огромный"


def test_subclasses_are_written_as_their_base_value():
    connection.ensure_connection()
    render = copytext.Renderer(connection.connection)
    assert render(SourceKind.FILE) == "file" and render(Size.HUGE) == str(2**40) and render(True) == "t"
    assert render(Stamp(2026, 12, 3, 10, 48, tzinfo=UTC)) == "2026-12-03T10:48:00+00:00" and render(None) == "\\N"
    assert copytext.escape("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    now = Stamp(2026, 12, 3, 10, 48, 5, tzinfo=UTC)
    [run_id] = bulk.insert(ImportRun, [{"kind": "sez", "size": Size.HUGE, "status": ImportStatus.FAILED}], now=now)
    run = ImportRun.objects.get(pk=run_id)
    assert (run.size, run.status, run.created) == (2**40, "failed", datetime(2026, 12, 3, 10, 48, 5, tzinfo=UTC))
    [site_id] = bulk.insert(Site, [{"kind": "sez", "name": "ОЭЗ", "area_ha": Decimal("1E+3")}], now=now)
    assert Site.objects.get(pk=site_id).area_ha == Decimal("1000.00")


def test_values_every_row_shares_and_rows_sent_in_several_writes(monkeypatch):
    monkeypatch.setattr(copytext, "LINES_PER_WRITE", 2)  # five rows: three writes on PostgreSQL
    inns = [factories.valid_inn() for _ in range(5)]
    common = {"source_kind": SourceKind.FILE, "source": "реестр.csv (sha256 0123)", "region_id": "40"}
    ids = bulk.insert(
        Organization,
        [{"inn": inn, "full_name": f"ООО «{i}»"} for i, inn in enumerate(inns)],
        now=timezone.now(),
        common=common,
    )
    stored = list(
        Organization.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("inn", "full_name", "source_kind", "source", "region_id")
    )
    assert stored == [(inn, f"ООО «{i}»", "file", "реестр.csv (sha256 0123)", "40") for i, inn in enumerate(inns)]
    assert references.referenced(Organization, [{"inn": inns[0]}], common)["region_id"] == {"40"}


def test_history_copies_only_one_block_of_new_ids():
    with pytest.raises(ValueError, match="one block"):
        with bulk.history_meanwhile(Organization, [5, 7], now=timezone.now(), reason="импорт", user=None):
            pass


def test_array_literals_only_for_plain_integers_and_strings():
    assert any_of([3, 1, 2]) == ("%s::bigint[]", "{3,1,2}")
    assert any_of(['a"b', "c\\d", ""]) == ("%s::text[]", '{"a\\"b","c\\\\d",""}')
    assert any_of([True, False]) == ("%s", [True, False])  # bool is not written as an integer
    assert any_of([1, "1"]) == ("%s", [1, "1"])


def test_look_ups_by_many_values_find_exactly_those():
    names = ['ИНН "1"', "обратная \\ черта", "{скобки}", "запятая, и", "NULL", "пробел в конце "]
    orgs = [factories.organization(full_name=name) for name in names]
    found = in_chunks(Organization.objects.all(), "full_name", names)
    assert sorted(o.full_name for o in found) == sorted(names)
    by_id = in_chunks(Organization.objects.all(), "id", [o.pk for o in orgs[:2]] + [10**12])
    assert {o.pk for o in by_id} == {orgs[0].pk, orgs[1].pk}
    assert in_chunks(Organization.objects.all(), "full_name", ["нет такой"]) == []


def test_a_value_the_database_refuses_raises_django_s_error():
    """The importer turns Django's DataError into «База данных не приняла запись», as for any statement."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not limit a text's length")
    with pytest.raises(DataError, match="value too long"), transaction.atomic():
        bulk.insert(Organization, [{"inn": "1" * 13, "full_name": "ООО «Длинный ИНН»"}], now=timezone.now())
