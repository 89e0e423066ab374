"""Pages over real HTTP: content, filters, exports, hostile query strings, queries that do not grow."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from klaster.registry import services
from klaster.registry.demo import load_demo
from klaster.registry.models import Site
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo()


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_dashboard_counts_and_reported_figures(client: Client, demo):
    page = text(client.get("/"))
    assert "Промышленная инфраструктура России" in page
    assert "Промышленный кластер" in page and "Особая экономическая зона" in page
    assert "промышленных кластеров в реестре минпромторга — 41" in page  # reported figure with its source
    assert "chart-registry_size" in page and "plotly.min.js" in page


def test_chart_data_downloads(client: Client, demo):
    rows = list(csv.reader(io.StringIO(text(client.get("/charts/registry_size.csv")).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Ряд", "Дата", "Кластеров", "Источник"]
    assert ["reported", "2024-05-29", "61.0000"] == rows[-2][:3] or any(r[1] == "2024-05-29" for r in rows)
    assert client.get("/charts/nope.csv").status_code == 404


def test_registry_search_in_russian_word_forms(client: Client, demo):
    page = text(client.get("/registry/clusters/?q=кластеры+фармацевтические"))
    assert "Фармацевтический кластер Калужской области" in page and "Найдено: <strong>1</strong>" in page
    page = text(client.get("/registry/sez/?q=Калуге"))
    assert "ОЭЗ «Калуга»" in page and "ОЭЗ «Пермь»" not in page
    page = text(client.get("/registry/clusters/?region=40&status=being_created"))
    assert "Кластер пищевой продукции" in page and "Северные ворота" not in page


def test_export_holds_exactly_the_filtered_rows(client: Client, demo):
    response = client.get("/registry/clusters/?region=40&format=csv")
    rows = list(csv.reader(io.StringIO(text(response).lstrip("\ufeff")), delimiter=";"))
    expected = set(Site.objects.filter(kind="industrial_cluster", regions="40").values_list("name", flat=True))
    assert {r[0] for r in rows[1:]} == expected and len(rows) - 1 == len(expected) == 5
    response = client.get("/registry/clusters/?region=40&format=xlsx&per_page=25&page=1")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]][:3] == ["Название", "Вид", "Регионы"]
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == expected


def test_global_search_by_inn_and_place(client: Client, demo):
    inn = factories.valid_inn()
    factories.organization(full_name="ООО «Поиск по ИНН»", inn=inn)
    assert "ООО «Поиск по ИНН»" in text(client.get(f"/search/?q={inn}"))
    page = text(client.get("/search/?q=Калуге"))
    assert "ОЭЗ «Калуга»" in page and "HAYAT" in page


def test_profiles(client: Client, demo):
    sez = Site.objects.get(name="ОЭЗ «Калуга»")
    page = text(client.get(f"/sites/{sez.pk}/"))
    assert "HAYAT" in page and "Якорный участник" in page and "История изменений" in page
    cluster = Site.objects.get(name="Кластер по производству удобрений (Ставропольский край)")
    page = text(client.get(f"/sites/{cluster.pk}/"))
    assert "Объявлен" in page and "29.05.2024" in page
    page = text(client.get(f"/organizations/{sez.memberships.get().organization_id}/"))
    assert "ОЭЗ «Калуга»" in page and "не известен" in page  # no invented ИНН
    page = text(client.get("/regions/RU-KLU/"))
    assert "Калужская область" in page and "1\u00a0000\u00a0070" in page and "ОЭЗ «Калуга»" in page
    assert client.get("/regions/99/").status_code == 404
    assert client.get("/sites/999999/").status_code == 404


def test_map_lists_regions_without_shapes(client: Client, demo):
    page = text(client.get("/map/?metric=participants&mode=per100k"))
    for name in ("Республика Крым", "Донецкая Народная Республика", "Херсонская область"):
        assert name in page
    data = client.get("/map/data/").json()["regions"]
    kaluga = next(r for r in data if r["code"] == "40")
    assert kaluga["sites"] == 8 and kaluga["population"] == 1_000_070
    assert kaluga["sites_per100k"] == round(8 * 100_000 / 1_000_070, 3)
    assert len(data) == 89


HOSTILE = [
    "q=" + "я" * 5000,
    "q=%27%20OR%201%3D1%20--",
    "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "region=%3Cb%3E",
    "page=-1",
    "page=abc",
    "page=99999999999",
    "per_page=7",
    "sort=DROP%20TABLE",
    "status=whatever",
    "okved=%27%3B--",
    "district=%00",
    "source=everything",
    "format=exe",
    "q=NEAR(a%20b)",
    'q="',
    "kind=sez%27",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("kind", ["clusters", "organizations", "projects"])
def test_hostile_query_strings_never_500(client: Client, demo, kind, query):
    response = client.get(f"/registry/{kind}/?{query}")
    assert response.status_code == 200
    page = text(response)
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_and_map(client: Client, demo, query):
    assert client.get(f"/search/?{query}").status_code == 200
    assert client.get(f"/map/?{query}").status_code == 200
    assert client.get(f"/?{query}").status_code == 200


def test_bad_filter_shows_a_message(client: Client, demo):
    page = text(client.get("/registry/clusters/?status=whatever&region=40"))
    assert "Статус:" in page and "Остальные фильтры применены" in page
    assert "Кластер пищевой продукции" in page


def _populate(n: int) -> Site:
    hub = factories.entered_cluster(name=f"Хаб {n}")
    for i in range(n):
        cluster = factories.site(regions=("40", "50"), name=f"Кластер {n}-{i}", specialisation_okved=["29.32"])
        services.site_status_change(site=cluster, status="entered", on=date(2020, 1, 1), user=None)
        org = factories.organization(full_name=f"ООО «Участник {n}-{i}»")
        services.membership_create(organization=org, site=hub, user=None)
        project = services.project_create(user=None, site=hub, title=f"Проект {i}", participants=[(org, "lead")])
        services.project_cost_add(project=project, user=None, cost_type="rnd", amount_rub=1000)
        services.indicator_set(site=hub, year=2000 + i, kind="participants", value=i, user=None)
    return hub


@pytest.mark.parametrize("rows", [2, 12])
def test_queries_do_not_grow_with_rows(client: Client, django_assert_max_num_queries, rows):
    hub = _populate(rows)
    with django_assert_max_num_queries(8):
        assert client.get("/registry/clusters/?region=40&per_page=100").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/registry/organizations/?region=40&per_page=100").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/registry/projects/?per_page=100").status_code == 200
    with django_assert_max_num_queries(24):  # profile + the rules input of the site (fixed, not per row)
        assert client.get(f"/sites/{hub.pk}/").status_code == 200


def test_csv_export_neutralises_formulas(client: Client):
    factories.entered_cluster(name='=HYPERLINK("http://example.org")')
    rows = text(client.get("/registry/clusters/?format=csv"))
    assert "'=HYPERLINK" in rows


def test_latest_changes_download(client: Client, demo):
    response = client.get("/changes/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == ["Когда", "Что", "Запись", "Изменение", "Причина", "Кто"]
    assert sheet.max_row == 13  # header + the 12 changes the dashboard shows


def test_profiles_show_the_rules_answers_with_clauses(client: Client, demo):
    hayat = Site.objects.get(name="ОЭЗ «Калуга»").memberships.get().organization
    page = text(client.get(f"/organizations/{hayat.pk}/"))
    assert "Меры поддержки" in page and "Субсидия на стартовые партии (ПП № 41)" in page
    assert "ПП РФ от 28.01.2016 № 41" in page  # the clause behind a failed condition
    cluster = Site.objects.get(name="Фармацевтический кластер Калужской области")
    page = text(client.get(f"/sites/{cluster.pk}/"))
    assert "Требования к промышленному кластеру (ПП № 779)" in page and "неизвестно" in page


def test_measures_page_shows_conditions_parameters_sources_and_unverified_values(client: Client):
    page = text(client.get("/measures/"))
    assert "Субсидия на стартовые партии (ПП № 41)" in page and "Требования к промышленному кластеру (ПП № 779)" in page
    assert "pp41_start_batch_subsidy.cap_per_applicant" in page and "по данным вторичного источника" in page
    assert "не установлено" in page  # unverified values are plainly marked
