"""The bulk writer's own COPY text (PostgreSQL) and array parameters store and find exactly what the ORM
would: every escape of the text format, each field type, types it hands to psycopg, and the defaults."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from klaster.core.models import SourceKind
from klaster.exchange import bulk, copytext
from klaster.exchange.models import ImportRun, ImportStatus
from klaster.exchange.writer import in_chunks
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


def test_renderer_writes_subclasses_as_their_base_value():
    render = copytext.Renderer(connection.connection) if connection.vendor == "postgresql" else None
    if render is None:
        pytest.skip("COPY text is PostgreSQL's")
    assert render(SourceKind.FILE) == "file" and render(True) == "t" and render(None) == "\\N"
    assert render(Decimal("1E+3")) == "1E+3" and render(date(2024, 1, 2)) == "2024-01-02"
    assert copytext.escape("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"


def test_look_ups_by_many_values_find_exactly_those():
    names = ['ИНН "1"', "обратная \\ черта", "{скобки}", "запятая, и", "NULL", "пробел в конце "]
    orgs = [factories.organization(full_name=name) for name in names]
    found = in_chunks(Organization.objects.all(), "full_name", names)
    assert sorted(o.full_name for o in found) == sorted(names)
    by_id = in_chunks(Organization.objects.all(), "id", [o.pk for o in orgs[:2]] + [10**12])
    assert {o.pk for o in by_id} == {orgs[0].pk, orgs[1].pk}
    assert in_chunks(Organization.objects.all(), "full_name", ["нет такой"]) == []
