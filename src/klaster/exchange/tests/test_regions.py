"""Refreshing the list of federal subjects from a new edition of the region file."""

import csv
import io

import pytest

from klaster.exchange.importer import import_file
from klaster.registry.models import Region
from klaster.registry.reference import DATA

pytestmark = pytest.mark.django_db
SHIPPED = DATA / "ru_regions_codes_hflabs.csv"


def _edition(tmp_path, change=None, encoding="utf-8", delimiter=",", limit=None):
    with SHIPPED.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    if change:
        change(records)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(records[:limit])
    path = tmp_path / "regions.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def test_the_shipped_edition_changes_nothing(tmp_path):
    run = import_file(_edition(tmp_path), "regions")
    assert run.status == "done", run.errors or run.message
    assert run.counts == {"rows": 85, "regions": 85, "regions_added": 0, "regions_changed": 0}


def test_a_renamed_subject_and_a_new_one_in_windows_1251(tmp_path):
    def edit(records):
        kaluga = next(r for r in records if r["kladr_id"].startswith("40"))
        kaluga["name_with_type"] = "Калужская область (новая редакция)"
        kaluga["federal_district"] = "Северо-Западный"
        records.append({**kaluga, "name": "Новый", "name_with_type": "Новый край", "kladr_id": "9800000000000",
                        "okato": "98000000000", "iso_code": ""})  # fmt: skip

    run = import_file(_edition(tmp_path, edit, encoding="cp1251", delimiter=";"), "regions")
    assert run.status == "done", run.errors or run.message
    assert run.counts["regions_added"] == 1 and run.counts["regions_changed"] == 1
    kaluga = Region.objects.get(code="40")
    assert kaluga.name_with_type == "Калужская область (новая редакция)" and kaluga.federal_district == "northwestern"
    assert kaluga.name == "Калужская область" and kaluga.capital == "Калуга"  # kept from Klaster's own sources
    assert Region.objects.get(code="98").name == "Новый край"


def test_bad_rows_and_a_partial_list_write_nothing(tmp_path):
    def edit(records):
        records[3]["federal_district"] = "Марсианский"

    run = import_file(_edition(tmp_path, edit), "regions")
    assert run.status == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in run.errors] == [(5, "federal_district", "Марсианский")]
    partial = import_file(_edition(tmp_path, limit=10), "regions")
    assert partial.status == "failed" and "не полный список" in partial.message
    assert Region.objects.get(code="40").name_with_type == "Калужская обл"
