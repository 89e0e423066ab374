"""Imports are all-or-nothing with a per-row error report; both cluster layouts; upserts; faults."""

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from klaster.exchange.importer import import_file
from klaster.registry.models import Membership, Organization, Site
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db
HEAD = [
    "Наименование кластера",
    "Номер в реестре",
    "Регион кластера",
    "Дата включения в реестр",
    "ИНН участника",
    "Наименование участника",
    "Регион",
    "ОКВЭД2",
    "Роль",
    "Дата вступления",
]


@pytest.fixture
def inns():
    return [factories.valid_inn() for _ in range(4)]


def write_csv(path: Path, rows: list[list], head=HEAD, encoding="utf-8", delimiter=";") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(head)
        writer.writerows(rows)
    return path


def flat_rows(inns) -> list[list]:
    return [
        [
            "Кластер «Тест»",
            "ПК-1",
            "40",
            "29.05.2024",
            inns[0],
            "ООО «Альфа»",
            "40",
            "29.32",
            "якорный участник",
            "01.06.2024",
        ],
        [
            "Кластер «Тест»",
            "ПК-1",
            "40",
            "29.05.2024",
            inns[1],
            "ООО «Бета»",
            "RU-KLU",
            "27.11",
            "участник",
            "2024-06-01",
        ],
        [
            "Кластер «Тест»",
            "ПК-1",
            "40",
            "29.05.2024",
            inns[2],
            "ООО «Гамма»",
            "71",
            "22.21",
            "участник",
            "1 июня 2024 г.",
        ],
    ]


def test_flat_layout_creates_sites_organisations_memberships_with_history(tmp_path, inns):
    run = import_file(write_csv(tmp_path / "реестр.csv", flat_rows(inns)), "clusters")
    assert run.status == "done", run.errors or run.message
    assert run.counts == {
        "rows": 3,
        "organizations_created": 3,
        "organizations_updated": 0,
        "organizations_unchanged": 0,
        "sites_created": 1,
        "sites_updated": 0,
        "sites_unchanged": 0,
        "memberships_created": 3,
        "memberships_updated": 0,
        "memberships_unchanged": 0,
    }
    site = Site.objects.get(registry_number="ПК-1")
    assert site.kind == "industrial_cluster" and site.current_status == "entered"
    assert site.current_status_on == date(2024, 5, 29)
    alpha = Organization.objects.get(inn=inns[0])
    assert alpha.source_kind == "file" and run.sha256[:16] in alpha.source
    assert alpha.history.first().history_change_reason.startswith("Импорт файла реестр.csv")
    assert Membership.objects.get(organization=alpha).role == "anchor"
    # The same file again changes nothing.
    again = import_file(tmp_path / "реестр.csv", "clusters")
    assert again.counts["organizations_unchanged"] == 3 and again.counts["memberships_unchanged"] == 3
    assert again.counts["organizations_created"] == again.counts["memberships_created"] == 0


def test_a_changed_file_updates_only_what_changed_with_history_and_leaves_ended_memberships(tmp_path, inns):
    rows = flat_rows(inns)
    assert import_file(write_csv(tmp_path / "v1.csv", rows), "clusters").status == "done"
    beta = Organization.objects.get(inn=inns[1])
    current = Membership.objects.get(organization=beta)
    ended = Membership.objects.create(
        organization=beta, site=current.site, role="partner", date_from=date(2020, 1, 1), date_to=date(2021, 1, 1)
    )
    rows[1][5] = "ООО «Бета-Плюс»"  # a new name
    rows[2][8] = "якорный участник"  # Гамма becomes an anchor
    run = import_file(write_csv(tmp_path / "v2.csv", rows), "clusters")
    assert run.status == "done", run.errors or run.message
    assert (run.counts["organizations_updated"], run.counts["organizations_unchanged"]) == (1, 2), run.counts
    assert (run.counts["memberships_updated"], run.counts["memberships_unchanged"]) == (1, 2), run.counts
    beta.refresh_from_db()
    assert beta.full_name == "ООО «Бета-Плюс»"
    assert [h.history_type for h in beta.history.all()] == ["~", "+"]
    gamma = Membership.objects.get(organization__inn=inns[2])
    assert gamma.role == "anchor" and gamma.history.first().history_change_reason.startswith("Импорт файла v2.csv")
    ended.refresh_from_db()
    assert (ended.role, ended.date_to) == ("partner", date(2021, 1, 1))


def test_one_bad_row_writes_nothing_and_is_named(tmp_path, inns):
    rows = flat_rows(inns)
    rows[1][4] = "1234567890"  # a bad checksum
    rows[2][3] = "31.02.2024"
    run = import_file(write_csv(tmp_path / "bad.csv", rows), "clusters")
    assert run.status == "rejected"
    assert [(e["row"], e["column"]) for e in run.errors] == [(3, "ИНН участника"), (4, "Дата включения в реестр")]
    assert "контрольн" in run.errors[0]["reason"] and run.errors[0]["value"] == "1234567890"
    assert (
        not Organization.objects.filter(inn__in=inns).exists()
        and not Site.objects.filter(registry_number="ПК-1").exists()
    )


def test_a_nul_character_in_a_cell_is_the_row_s_error_not_a_crash(tmp_path, inns):
    """Neither database column nor the error report (JSON on PostgreSQL) can hold U+0000."""
    rows = flat_rows(inns)
    rows[1][5] = "ООО «Бе\x00та»"
    run = import_file(write_csv(tmp_path / "nul.csv", rows), "clusters")
    assert run.status == "rejected", run.message
    assert [(e["row"], e["column"], e["value"]) for e in run.errors] == [
        (3, "Наименование участника", "ООО «Бе\\x00та»")
    ]
    assert "NUL" in run.errors[0]["reason"] and not Organization.objects.filter(inn__in=inns).exists()
    run.refresh_from_db()
    assert run.errors[0]["value"] == "ООО «Бе\\x00та»"


def test_rows_that_describe_a_site_or_a_firm_otherwise_are_each_named(tmp_path, inns):
    rows = flat_rows(inns)
    others = [factories.valid_inn() for _ in range(3)]
    rows.append([*rows[0][:3], "30.05.2024", others[0], *rows[0][5:]])  # row 5: ПК-1 entered another day
    rows.append([*rows[0][:3], "30.05.2024", others[1], *rows[0][5:]])  # row 6: the same — named again
    rows.append(["Кластер «Другой»", "ПК-2", "40", "29.05.2024", *rows[2][4:]])  # row 7: Гамма in another …
    rows[-1][5] = "ООО «Другая Гамма»"  # … under another name
    run = import_file(write_csv(tmp_path / "r.csv", rows), "clusters")
    assert run.status == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in run.errors] == [
        (5, "Дата включения в реестр", "2024-05-30"),
        (6, "Дата включения в реестр", "2024-05-30"),
        (7, "Наименование участника", "ООО «Другая Гамма»"),  # as the file heads it
    ]
    assert "площадка уже описана в строке 2 иначе" in run.errors[0]["reason"]
    assert f"ИНН {inns[2]} уже в строке 4" in run.errors[2]["reason"]
    assert not Organization.objects.filter(inn__in=inns + others).exists()


def test_two_sheet_layout_and_cp1251_csv(tmp_path, inns):
    book = Workbook()
    sheet = book.active
    sheet.title = "Кластеры"
    sheet.append(["Наименование кластера", "Номер в реестре", "Регион кластера", "Дата включения в реестр"])
    sheet.append(["Кластер «Два листа»", "ПК-2", "RU-KLU", date(2023, 3, 1)])
    members = book.create_sheet("Участники")
    members.append(["Номер в реестре", "ИНН", "Наименование организации", "Регион", "Роль"])
    members.append(["ПК-2", inns[0], "ООО «Альфа»", 40, "участник"])
    members.append(["ПК-2", int(inns[1]), "ООО «Бета»", "40", "участник"])
    book.save(tmp_path / "two.xlsx")
    run = import_file(tmp_path / "two.xlsx", "clusters")
    assert run.status == "done", run.errors or run.message
    assert Site.objects.get(registry_number="ПК-2").memberships.count() == 2
    run = import_file(write_csv(tmp_path / "cp.csv", flat_rows(inns), encoding="cp1251"), "clusters")
    assert run.status == "done", run.errors or run.message
    assert Organization.objects.get(inn=inns[2]).full_name == "ООО «Гамма»"


def test_a_workbook_row_without_its_trailing_empty_cells_is_not_taken_for_a_cut_row(tmp_path, inns):
    """Spreadsheet programs may leave trailing empty cells (and the sheet's size) out; only a CSV row that
    is shorter than its header looks cut off."""
    import zipfile

    from klaster.core import xlsx

    path = tmp_path / "short.xlsx"
    with xlsx.write(path) as sheet:
        sheet.append(["ИНН", "Наименование", "Регион", "ОКВЭД2"])
        sheet.append([inns[0], "ООО «Без кода»", "40"])
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<dimension" not in sheet_xml and 'r="D2"' not in sheet_xml
    run = import_file(path, "organizations")
    assert run.status == "done", run.errors or run.message
    assert Organization.objects.get(inn=inns[0]).okved_id is None


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "Файл пуст"),
        (b"%PDF-1.7 ...", "fake.csv", "Это PDF"),
        (b"PK\x03\x04rest", "zip.csv", "это XLSX (ZIP)"),
        ("ИНН;Наименование\n".encode(), "head.csv", "только заголовок"),
        ('Наименование кластера;ИНН участника\n"Кластер;'.encode(), "cut.csv", "обрывается"),
        (b"text, not a workbook", "fake.xlsx", "не XLSX"),
    ],
)
def test_broken_files_get_a_clear_message(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    run = import_file(path, "clusters")
    assert run.status == "failed" and message in run.message
    assert not Site.objects.exists() and not Organization.objects.exists()


def test_a_file_in_two_encodings_is_refused_at_its_first_foreign_line(tmp_path, inns):
    """The encoding is detected on the first 64 KB; a file saved in parts (UTF-8, then Windows-1251) is named
    at the line where the foreign bytes start, and nothing of its good rows is written."""
    good = ";".join(["Кластер «Смесь»", "", "40", "", inns[0], "ООО «Альфа»", "40", "", "", ""]) + "\n"
    lines = ";".join(HEAD) + "\n" + good * 1000  # past the 64 KB sample
    tail = ";".join(["Кластер «Смесь»", "", "40", "", inns[1], "ООО «Бета»", "40", "", "", ""]) + "\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(lines.encode("utf-8") + tail.encode("cp1251"))
    assert len(lines.encode("utf-8")) > 64 * 1024
    run = import_file(path, "clusters")
    assert run.status == "failed" and run.message == "Строка 1002: байты не в кодировке utf-8: файл в смешанной " + (
        "кодировке или повреждён"
    )
    assert not Site.objects.exists() and not Organization.objects.exists()


def test_a_workbook_cut_off_in_the_middle_is_refused(tmp_path, inns):
    book = Workbook()
    book.active.append(["ИНН", "Наименование", "Регион"])
    for i in range(2000):
        book.active.append([inns[i % 4], f"ООО «Участник {i}»", "40"])
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    run = import_file(cut, "organizations")
    assert run.status == "failed" and run.message.startswith("XLSX повреждён или обрезан"), run.message
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("columns: [1, 2\n", "не читается как YAML (строка 2, позиция 1: expected ',' or ']'"),
        ("columns:\n  Номер налогоплательщика: inn_number\n", "неизвестные поля inn_number"),
        ("- просто список\n", "ожидается раздел columns"),
        (None, "не найден"),
    ],
)
def test_a_bad_mapping_file_fails_the_import_with_its_reason(tmp_path, inns, mapping, message):
    path = tmp_path / "map.yaml"
    if mapping is not None:
        path.write_text(mapping, encoding="utf-8")
    run = import_file(write_csv(tmp_path / "r.csv", flat_rows(inns)), "clusters", mapping=path)
    assert run.status == "failed" and run.message.startswith("Файл сопоставления столбцов (YAML)"), run.message
    assert message in run.message, run.message
    assert not Organization.objects.exists()


def test_merged_header_cells_are_refused(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Участник", None, "Регион"])
    sheet.merge_cells("A1:B1")
    sheet.append(["ООО", "x", "40"])
    book.save(tmp_path / "merged.xlsx")
    run = import_file(tmp_path / "merged.xlsx", "organizations")
    assert run.status == "failed" and "Объединённые ячейки в заголовке (A1:B1)" in run.message


def test_dry_run_counts_and_writes_nothing(tmp_path, inns):
    run = import_file(write_csv(tmp_path / "d.csv", flat_rows(inns)), "clusters", dry_run=True)
    assert run.status == "dry_run" and run.counts["organizations_created"] == 3
    assert not Organization.objects.filter(inn__in=inns).exists()


def test_mapping_file_for_other_headers(tmp_path, inns):
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        'columns: {"Налоговый номер": inn, "Компания": full_name, "Субъект": region}\n', encoding="utf-8"
    )
    path = write_csv(
        tmp_path / "o.csv", [[inns[0], "ООО «Альфа»", "40"]], head=["Налоговый номер", "Компания", "Субъект"]
    )
    run = import_file(path, "organizations", mapping=mapping)
    assert run.status == "done", run.errors or run.message
    assert Organization.objects.get(inn=inns[0]).region_id == "40"
    # Errors name the columns as the file heads them, so they can be found there.
    bad = write_csv(tmp_path / "bad.csv", [["1234567890", "", "99"]], head=["Налоговый номер", "Компания", "Субъект"])
    run = import_file(bad, "organizations", mapping=mapping)
    assert [(e["row"], e["column"]) for e in run.errors] == [(2, "Налоговый номер"), (2, "Субъект")], run.errors


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_that_fails_half_way_leaves_no_file_and_the_earlier_one_whole(tmp_path, inns, fmt, monkeypatch):
    from klaster.exchange import export

    import_file(write_csv(tmp_path / "seed.csv", flat_rows(inns)), "clusters")
    out = tmp_path / f"clusters.{fmt}"
    assert export.write("clusters", fmt, out) == 3
    earlier = out.read_bytes()
    rows = export.rows

    def fail_after_one(kind):
        yield next(iter(rows(kind)))
        raise OSError("диск заполнен")

    monkeypatch.setattr(export, "rows", fail_after_one)
    with pytest.raises(OSError, match="диск заполнен"):
        export.write("clusters", fmt, out)
    assert out.read_bytes() == earlier and [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []
    with pytest.raises(OSError):
        export.write("clusters", fmt, tmp_path / f"new.{fmt}")
    assert not (tmp_path / f"new.{fmt}").exists()


def test_an_export_keeps_the_file_s_permissions_and_a_link_stays_a_link(tmp_path, inns):
    from klaster.exchange import export

    import_file(write_csv(tmp_path / "seed.csv", flat_rows(inns)), "clusters")
    out = tmp_path / "clusters.csv"
    out.write_text("старое")
    out.chmod(0o600)
    link = tmp_path / "latest.csv"
    link.symlink_to(out)
    assert export.write("clusters", "csv", link) == 3
    assert link.is_symlink() and (out.stat().st_mode & 0o777) == 0o600
    assert "ООО «Альфа»" in out.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clusters.csv", "latest.csv", "seed.csv"]


def test_a_ministry_sheet_with_a_merged_title_above_the_header_is_read(tmp_path, inns):
    """Ministry spreadsheets open with a title («Реестр … на дату») over the table, often merged across it;
    error rows stay the sheet's own row numbers."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Реестр промышленных кластеров по состоянию на 01.10.2026"])
    sheet.merge_cells("A1:J1")
    sheet.append([])
    sheet.append(HEAD)
    for row in flat_rows(inns):
        sheet.append(row)
    sheet.append(["Кластер «Тест»", "ПК-1", "40", "29.05.2024", "1234567890", "ООО «Ошибка»", "40", "", "", ""])
    book.save(tmp_path / "реестр.xlsx")
    run = import_file(tmp_path / "реестр.xlsx", "clusters")
    assert run.status == "rejected" and [(e["row"], e["column"]) for e in run.errors] == [(7, "ИНН участника")]
    sheet.delete_rows(7)
    book.save(tmp_path / "реестр.xlsx")
    run = import_file(tmp_path / "реестр.xlsx", "clusters")
    assert run.status == "done", run.errors or run.message
    assert run.counts["memberships_created"] == 3


def test_progress_reports_the_share_checked_then_the_writing(tmp_path):
    from klaster.exchange.tests.test_faults import big_file

    seen = []
    run = import_file(big_file(tmp_path / "p.csv", 12_000), "clusters", progress=lambda *a: seen.append(a))
    assert run.status == "done", run.errors or run.message
    checks = [(rows, share) for rows, stage, share in seen if stage == "проверка"]
    assert [rows for rows, _ in checks] == [5_000, 10_000]
    assert 0.35 < checks[0][1] < 0.5 and 0.78 < checks[1][1] < 0.9
    assert seen[-1] == (12_000, "запись в базу", None)
