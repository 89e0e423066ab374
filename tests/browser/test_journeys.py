"""A new user's journeys in a real browser; each saves the screenshot the README tour shows."""

import pytest

from klaster.registry.demo import load_demo
from klaster.registry.models import Site
from tests.browser.conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    load_demo()


def _no_console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_dashboard_shows_counts_and_charts(page, demo):
    errors = _no_console_errors(page)
    page.goto(page.base + "/")
    page.wait_for_selector("#chart-registry_size .main-svg")
    assert page.locator(".card .num").first.inner_text().strip() != ""
    assert "Промышленные кластеры в реестре" in page.locator("#chart-registry_size").inner_text()
    shoot(page, "01-dashboard")
    assert errors == []


def test_search_filter_and_export(page, demo, tmp_path):
    page.goto(page.base + "/")
    page.fill("header input[name=q]", "кластеры фармацевтические")
    page.press("header input[name=q]", "Enter")
    page.wait_for_selector("text=Фармацевтический кластер Калужской области")
    shoot(page, "02-search")
    page.goto(page.base + "/registry/clusters/")
    page.select_option("select[name=region]", "40")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**region=40**")
    rows = page.locator("table tbody tr")
    assert rows.count() == 5
    shoot(page, "03-registry")
    with page.expect_download() as download_info:
        page.click("text=XLSX >> nth=0")
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert sheet.max_row == 6  # header + the 5 Kaluga clusters shown


def test_site_and_organisation_profiles(page, demo):
    sez = Site.objects.get(name="ОЭЗ «Калуга»")
    page.goto(f"{page.base}/sites/{sez.pk}/")
    page.wait_for_selector("#site-map .main-svg")
    assert "Якорный участник" in page.content()
    shoot(page, "04-site")
    page.click("text=HAYAT")
    page.wait_for_selector("h1:has-text('HAYAT')")
    assert "ОЭЗ «Калуга»" in page.content()
    shoot(page, "05-organization")


def test_map_and_click_through_to_region(page, demo):
    errors = _no_console_errors(page)
    page.goto(page.base + "/map/")
    page.wait_for_selector("#map path.choroplethlocation", timeout=30_000)
    assert page.locator("#map path.choroplethlocation").count() == 83
    assert "Донецкая Народная Республика" in page.locator("aside").inner_text()
    shoot(page, "06-map")
    index = page.evaluate("""() => {
        const gd = document.getElementById('map');
        return gd.data[0].locations.indexOf('RU-KLU');
    }""")
    box = page.locator("#map path.choroplethlocation").nth(index).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/regions/40/")
    assert "Калужская область" in page.locator("h1").inner_text()
    shoot(page, "07-region")
    assert errors == []


def test_measures_and_selection_for_a_company_outside_the_registry(page, demo):
    errors = _no_console_errors(page)
    page.goto(page.base + "/measures/")
    page.click("nav.pager >> text=Промышленная ипотека (ПП № 1570)")
    assert "industrial_mortgage.loan_max" in page.locator("#industrial_mortgage").inner_text()
    shoot(page, "08-measures")

    page.click("header >> text=Подбор мер")
    page.fill("input[name=on]", "01.06.2025")
    page.fill("input[name=okved]", "29.32")
    page.select_option("select[name=region]", "40")
    page.select_option("select[name=size]", "medium")
    page.select_option("select[name=loan_programme]", "industrial_mortgage")
    page.fill("input[name=loan_amount_rub]", "300 000 000")
    page.select_option("select[name=loan_purpose]", "construction")
    page.press("input[name=loan_amount_rub]", "Enter")  # the keyboard submits the form
    page.wait_for_selector("#answer")
    answer = page.locator("#answer").inner_text()
    assert "Промышленная ипотека (ПП № 1570)" in answer
    assert "Ответ даст поле: «Выручка за год, ₽»" in answer
    page.locator("#answer").scroll_into_view_if_needed()
    shoot(page, "09-selection")

    page.fill("input[name=inn]", "1234567890")
    page.press("input[name=inn]", "Enter")
    page.wait_for_selector(".field-error")
    assert "ИНН: 10 цифр организации" in page.locator("label.invalid").inner_text()
    assert errors == []


def test_reform_run_with_progress_and_report(page, demo, settings, tmp_path):
    """A synthetic population runs in the background: the page shows progress, then the report."""
    from klaster.registry.synth import generate
    from klaster.registry.synth.parquet import write_parquet

    settings.VAR_DIR = tmp_path / "var"
    write_parquet(generate(sites=60, organizations=3000, seed=1), settings.VAR_DIR / "populations" / "synthetic")
    errors = _no_console_errors(page)
    page.goto(page.base + "/reforms/")
    page.select_option("select[name=scenario]", ["duma_expert_council_2026"])
    page.select_option("select[name=population]", "synthetic")
    page.fill("input[name=pp41_budget]", "430 000 000")
    page.click("form.selection button[type=submit]")
    page.wait_for_url("**/reforms/*/")
    page.wait_for_selector("#chart-years .main-svg", timeout=120_000)  # reloaded when the run is done
    body = page.locator("main").inner_text()
    assert "Кластерная инвестиционная платформа (ПП № 295)" in body and "Лимиты ассигнований" in body
    assert "Чувствительность" in body and "cluster_investment_platform.min_loan" in body
    shoot(page, "10-reform")
    with page.expect_download() as download_info:
        page.click("a.button:has-text('PDF')")
    assert download_info.value.suggested_filename.endswith(".pdf")
    assert errors == []


def _analyst_on_import_page(page) -> None:
    from django.contrib.auth.models import User

    User.objects.create_superuser("analyst", password="пароль-для-теста")
    page.goto(page.base + "/admin/login/?next=/import/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "пароль-для-теста")
    page.click("input[type=submit]")
    page.wait_for_url("**/import/")


def test_import_rejects_a_bad_row_then_loads_the_fixed_file(page, demo, tmp_path):
    from openpyxl import load_workbook

    from klaster.registry.tests import factories

    _analyst_on_import_page(page)
    with page.expect_download() as download_info:
        page.click("a[href='/import/export/clusters.xlsx']")
    path = tmp_path / "clusters.xlsx"
    download_info.value.save_as(path)
    book = load_workbook(path)
    sheet = book.active
    first = [c.value for c in sheet[2]]
    sheet.append([*first[:4], factories.valid_inn(), "ООО «Новый участник»", "40", "29.32", "участник", "01.09.2026"])
    sheet.append([*first[:4], "1234567890", "ООО «Ошибка»", "40", "29.32", "участник", "01.09.2026"])
    book.save(path)
    page.set_input_files("input[name=file]", str(path))
    page.click("form.selection button[type=submit]")
    page.wait_for_selector("text=Отклонено: ошибки в файле")
    assert "1234567890" in page.locator("main table").last.inner_text()
    shoot(page, "11-import")
    sheet.cell(sheet.max_row, 5).value = factories.valid_inn()
    book.save(path)
    page.goto(page.base + "/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("form.selection button[type=submit]")
    page.wait_for_selector("text=Загружено")
    assert "участий добавлено" in page.locator("main").inner_text()


def test_large_import_shows_progress_then_the_result(page, demo, settings, tmp_path, monkeypatch):
    """Above the inline size the import runs in the background: the page polls, then shows the outcome."""
    import threading

    from klaster.exchange import background
    from klaster.exchange.tests.test_import import HEAD
    from klaster.registry.tests import factories

    settings.VAR_DIR = tmp_path / "var"
    settings.IMPORT_INLINE_MB = 0
    release = threading.Event()
    real = background.import_file

    def held(*args, **kwargs):  # the run waits until the page has shown its progress
        kwargs["progress"](5_000, "проверка", 0.4)
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(background, "import_file", held)
    _analyst_on_import_page(page)
    rows = [["Кластер «Фон»", "ПК-77", "40", "29.05.2024", factories.valid_inn(), f"ООО «Фон-{i}»", "40", "29.32",
             "участник", "01.06.2024"] for i in range(50)]  # fmt: skip
    path = tmp_path / "фон.csv"
    path.write_text("\n".join(";".join(r) for r in [HEAD, *rows]), encoding="utf-8")
    page.set_input_files("input[name=file]", str(path))
    page.click("form.selection button[type=submit]")
    page.wait_for_url("**/import/*/")
    page.wait_for_selector("#progress-message:has-text('40 % — проверка: строк 5 000')")
    assert page.locator("#progress progress").evaluate("bar => bar.value") == 0.4
    shoot(page, "12-import-progress")
    release.set()
    page.wait_for_selector("text=Загружено", timeout=60_000)  # progress.js reloads the page when it is over
    assert "организаций добавлено" in page.locator("main").inner_text()
