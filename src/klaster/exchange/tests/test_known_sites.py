"""A file that names a site already in the registry: its date of entry, registry number, name and region are
applied with history (corrected or entered), or refused by name — never left out while the run says "done"."""

from datetime import date

import pytest

from klaster.exchange import export
from klaster.exchange.importer import import_file
from klaster.exchange.tests.test_import import write_csv
from klaster.registry import services
from klaster.registry.models import Site, SiteStatusEvent
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db
HEAD = ["Наименование кластера", "Номер в реестре", "Регион кластера", "Дата включения в реестр"]


def load(tmp_path, rows: list[list], name: str = "кластеры.csv"):
    return import_file(write_csv(tmp_path / name, rows, head=HEAD), "clusters")


def updated(run) -> tuple[int, int]:
    assert run.status == "done", run.errors or run.message
    return run.counts["sites_updated"], run.counts["sites_unchanged"]


def test_a_date_of_entry_for_a_site_without_one_enters_it_with_the_file_as_source(tmp_path):
    site = factories.site(name="Кластер «Без даты»")
    assert updated(load(tmp_path, [["Кластер «Без даты»", "", "40", "29.05.2024"]])) == (1, 0)
    site.refresh_from_db()
    assert (site.current_status, site.current_status_on) == ("entered", date(2024, 5, 29))
    event = site.status_events.get()
    assert (event.status, event.on, event.source_kind) == ("entered", date(2024, 5, 29), "file")
    assert "кластеры.csv" in event.source and event.reason.startswith("Импорт файла кластеры.csv")
    reason = site.history.first().history_change_reason
    assert reason.startswith("Статус в реестре: Включён") and "Импорт файла кластеры.csv" in reason
    assert updated(load(tmp_path, [["Кластер «Без даты»", "", "40", "2024-05-29"]], "снова.csv")) == (0, 1)
    assert site.status_events.count() == 1


def test_a_number_without_a_date_enters_a_site_without_one_undated(tmp_path):
    site = factories.site(name="Кластер «Номер»")
    assert updated(load(tmp_path, [["Кластер «Номер»", "ПК-77", "40", ""]])) == (1, 0)
    site.refresh_from_db()
    assert (site.current_status, site.current_status_on, site.registry_number) == ("entered", None, "ПК-77")


def test_a_changed_date_or_number_corrects_the_event_the_export_shows(tmp_path):
    site = factories.entered_cluster(on=date(2020, 5, 1), number="ПК-5", name="Кластер «Исправление»")
    event = site.status_events.get()
    run = load(tmp_path, [["Кластер «Исправление»", "ПК-5а", "40", "01.06.2020"]])
    assert updated(run) == (1, 0)
    site.refresh_from_db()
    event.refresh_from_db()
    assert (site.current_status_on, site.registry_number) == (date(2020, 6, 1), "ПК-5а")
    assert (event.on, event.registry_number, event.decree) == (date(2020, 6, 1), "ПК-5а", "ПП РФ № 779")
    assert site.status_events.count() == 1  # corrected, not a second entry
    old = event.history.last()
    assert (old.on, old.registry_number) == (date(2020, 5, 1), "ПК-5")
    assert event.history.first().history_change_reason.startswith("Импорт файла")
    assert site.history.first().history_change_reason.startswith(
        "Исправлено событие реестра: Включён в реестр с 01.06.2020. Импорт файла кластеры.csv"
    )


def test_export_then_import_of_a_reconfirmed_and_an_excluded_site_changes_nothing(tmp_path):
    kept = factories.entered_cluster(on=date(2019, 3, 1), number="ПК-1", name="Кластер «Подтверждён»")
    services.site_status_change(site=kept, status="reconfirmed", on=date(2023, 3, 1), user=None)  # no number
    gone = factories.entered_cluster(on=date(2019, 3, 1), number="ПК-2", name="Кластер «Исключён»")
    services.site_status_change(site=gone, status="excluded", on=date(2022, 1, 1), user=None, reason="Ликвидация")
    events = list(SiteStatusEvent.objects.values_list("pk", "on", "registry_number", "decree").order_by("pk"))
    out = tmp_path / "clusters.csv"
    export.write("clusters", "csv", out)
    assert updated(import_file(out, "clusters")) == (0, 2)
    assert list(SiteStatusEvent.objects.values_list("pk", "on", "registry_number", "decree").order_by("pk")) == events


def test_an_excluded_site_keeps_its_status_and_a_number_without_a_date_is_refused(tmp_path):
    gone = factories.entered_cluster(on=date(2019, 3, 1), number="ПК-3", name="Кластер «Закрыт»")
    services.site_status_change(site=gone, status="excluded", on=date(2022, 1, 1), user=None, reason="Ликвидация")
    assert updated(load(tmp_path, [["Кластер «Закрыт»", "ПК-3", "40", "01.03.2019"]])) == (0, 1)  # that entry
    run = load(tmp_path, [["Кластер «Закрыт»", "ПК-33", "40", ""]], "номер.csv")
    assert run.status == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in run.errors] == [(2, "Номер в реестре", "ПК-33")]
    assert "статус «исключён из реестра»" in run.errors[0]["reason"], run.errors
    gone.refresh_from_db()
    assert (gone.current_status, gone.registry_number, gone.status_events.count()) == ("excluded", "ПК-3", 2)
    assert updated(load(tmp_path, [["Кластер «Закрыт»", "ПК-3", "40", "01.02.2024"]], "снова.csv")) == (1, 0)
    gone.refresh_from_db()
    assert (gone.current_status, gone.current_status_on) == ("entered", date(2024, 2, 1))


def test_a_site_found_by_its_number_takes_the_file_s_name_and_region(tmp_path):
    site = factories.entered_cluster(on=date(2020, 5, 1), number="ПК-9", name="Кластер «Старое имя»")
    assert updated(load(tmp_path, [["Кластер «Новое имя»", "ПК-9", "71", "01.05.2020"]])) == (1, 0)
    site.refresh_from_db()
    assert site.name == "Кластер «Новое имя»" and [r.code for r in site.regions.all()] == ["71"]
    assert site.history.first().history_change_reason.startswith("Импорт файла")
    assert Site.objects.count() == 1


def test_a_site_of_several_regions_is_not_given_one_by_guess(tmp_path):
    site = factories.site(name="Кластер «Межрегиональный»", regions=("40", "71"))
    run = load(tmp_path, [["Кластер «Межрегиональный»", "", "50", "01.05.2020"]])
    assert run.status == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in run.errors] == [(2, "Регион кластера", "50")], run.errors
    assert "лежит в регионах 40, 71" in run.errors[0]["reason"]
    site.refresh_from_db()
    assert sorted(r.code for r in site.regions.all()) == ["40", "71"] and not site.status_events.exists()
    assert updated(load(tmp_path, [["Кластер «Межрегиональный»", "", "71", ""]], "свой.csv")) == (0, 1)


def test_a_long_file_name_is_kept_whole_in_every_history_reason(tmp_path):
    """The reason names the file and its checksum: past simple_history's default 100 characters, which
    PostgreSQL enforced (a ministry's file name is often that long)."""
    site = factories.site(name="Кластер «Длинное имя»")
    name = "Реестр промышленных кластеров Минпромторга России по состоянию на 01.10.2026, редакция 2.csv"
    run = load(tmp_path, [["Кластер «Длинное имя»", "ПК-100", "40", "01.10.2026"]], name)
    assert updated(run) == (1, 0)
    assert len(site.history.first().history_change_reason) > 150
    assert site.status_events.get().history.first().history_change_reason == f"Импорт файла {run.file_name} " + (
        f"(sha256 {run.sha256[:16]})"
    )


PARK_HEAD = ["Наименование парка", "Вид площадки", "Регион площадки", "ИНН управляющей компании", "ИНН участника",
             "Наименование участника"]  # fmt: skip


def test_a_park_card_s_management_company_is_linked_by_its_inn(tmp_path):
    """GISIP cards name the management company by ИНН: one of the registry's, or one the file itself adds."""
    known = factories.organization(inn=factories.valid_inn(), full_name="АО «Корпорация развития»")
    new_inn = factories.valid_inn()
    rows = [
        ["Парк «Первый»", "индустриальный парк", "40", known.inn, "", ""],
        ["Парк «Второй»", "промышленный технопарк", "71", new_inn, new_inn, "ООО «УК Второй»"],
    ]
    run = import_file(write_csv(tmp_path / "парки.csv", rows, head=PARK_HEAD), "parks")
    assert run.status == "done", run.errors or run.message
    first, second = Site.objects.get(name="Парк «Первый»"), Site.objects.get(name="Парк «Второй»")
    assert first.manager == known and second.manager.full_name == "ООО «УК Второй»"
    assert first.history.get().manager_id == known.pk  # in the record's first history entry
    other = factories.organization(inn=factories.valid_inn(), full_name="АО «Новая УК»")
    rows[0][3] = other.inn
    run = import_file(write_csv(tmp_path / "смена.csv", rows, head=PARK_HEAD), "parks")
    assert (run.counts["sites_updated"], run.counts["sites_unchanged"]) == (1, 1), run.counts
    first.refresh_from_db()
    assert first.manager == other and first.history.first().history_change_reason.startswith("Импорт файла")


def test_a_management_company_neither_in_the_file_nor_in_the_registry_is_the_row_s_error(tmp_path):
    stranger = factories.valid_inn()
    rows = [["Парк «Третий»", "индустриальный парк", "40", stranger, "", ""]]
    run = import_file(write_csv(tmp_path / "парк.csv", rows, head=PARK_HEAD), "parks")
    assert run.status == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in run.errors] == [(2, "ИНН управляющей компании", stranger)]
    assert "нет ни в файле, ни в реестре" in run.errors[0]["reason"]
    assert not Site.objects.exists()


def _events(site: Site) -> list[tuple]:
    return list(site.status_events.values_list("status", "on", "registry_number").order_by("pk"))


def test_an_earlier_entry_s_date_changes_nothing_and_a_date_past_an_exclusion_is_refused(tmp_path):
    """Entered 2018, excluded 2019, entered again 2021: the 2018 date is that first entry's; moving the 2021 entry
    before the exclusion would silently make the site excluded."""
    site = factories.entered_cluster(on=date(2018, 1, 1), number="ПК-1", name="Кластер «Дважды»")
    services.site_status_change(site=site, status="excluded", on=date(2019, 1, 1), user=None, reason="Ликвидация")
    services.site_status_change(site=site, status="entered", on=date(2021, 1, 1), user=None, registry_number="ПК-1")
    events = _events(site)
    assert updated(load(tmp_path, [["Кластер «Дважды»", "ПК-1", "40", "01.01.2018"]])) == (0, 1)
    run = load(tmp_path, [["Кластер «Дважды»", "ПК-1", "40", "01.06.2018"]], "раньше.csv")
    assert run.status == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in run.errors] == [(2, "Дата включения в реестр", "01.06.2018")]
    assert "исключён из реестра 01.01.2019" in run.errors[0]["reason"]
    site.refresh_from_db()
    assert _events(site) == events and (site.current_status, site.current_status_on) == ("entered", date(2021, 1, 1))
    assert updated(load(tmp_path, [["Кластер «Дважды»", "ПК-1", "40", "01.02.2021"]], "поправка.csv")) == (1, 0)
    site.refresh_from_db()
    assert site.current_status_on == date(2021, 2, 1) and site.status_events.count() == 3


def test_a_reconfirmed_site_is_exported_with_its_entry_date_which_changes_nothing(tmp_path):
    site = factories.entered_cluster(on=date(2018, 1, 1), number="ПК-2", name="Кластер «Подтверждённый»")
    services.site_status_change(site=site, status="reconfirmed", on=date(2022, 1, 1), user=None)
    events = _events(site)
    out = tmp_path / "clusters.csv"
    export.write("clusters", "csv", out)
    assert ";01.01.2018;" in out.read_text(encoding="utf-8-sig")
    assert updated(import_file(out, "clusters")) == (0, 1)
    assert _events(site) == events


def test_a_decree_without_a_date_for_an_excluded_site_is_refused_not_dropped(tmp_path):
    site = factories.entered_cluster(on=date(2018, 1, 1), number="ПК-3", name="Кластер «Без основания»")
    services.site_status_change(site=site, status="excluded", on=date(2019, 1, 1), user=None, reason="Ликвидация")
    head = [*HEAD, "Основание"]
    path = write_csv(tmp_path / "основание.csv", [["Кластер «Без основания»", "ПК-3", "40", "", "ПП № 5"]], head=head)
    run = import_file(path, "clusters")
    assert [(e["column"], e["value"]) for e in run.errors] == [("Основание", "ПП № 5")], run.errors or run.message


def test_one_site_described_twice_under_two_keys_is_the_later_row_s_error(tmp_path):
    known = factories.site(name="Кластер «К10»")
    rows = [["Кластер «К10»", "", "40", "01.02.2018"], ["Кластер «К10»", "ПК-10", "40", "01.03.2018"]]
    run = load(tmp_path, rows)
    assert run.status == "rejected" and [(e["row"], e["column"]) for e in run.errors] == [(3, "Наименование кластера")]
    assert not known.status_events.exists()
    rows = [["Кластер «Новый»", "", "40", ""], ["Кластер «Новый»", "ПК-11", "40", ""]]
    run = load(tmp_path, rows, "новый.csv")
    assert run.status == "rejected" and [e["row"] for e in run.errors] == [3], run.errors or run.message
    assert "уже описана в строке 2" in run.errors[0]["reason"]
    assert not Site.objects.filter(name="Кластер «Новый»").exists()


def test_a_rename_onto_another_site_s_name_names_the_row(tmp_path):
    factories.entered_cluster(on=date(2018, 1, 1), number="ПК-7", name="Кластер «А»")
    factories.site(name="Кластер «Б»")
    run = load(tmp_path, [["Кластер «Б»", "ПК-7", "40", "01.01.2018"]])
    assert run.status == "rejected" and "Площадка «Кластер «А»» (строка 2)" in run.message, run.message
