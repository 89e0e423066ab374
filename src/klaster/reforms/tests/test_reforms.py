"""Runs through the service, the API and the pages, on the registry (hand-computed) and a Parquet population."""

import io
import json
from datetime import date

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from klaster.reforms import services
from klaster.reforms.models import ScenarioRecord, SimulationRun
from klaster.registry import services as registry
from klaster.registry.tests import factories
from klaster.simulation.tests.conftest import write_population

pytestmark = pytest.mark.django_db
PP41 = "pp41_start_batch_subsidy"
SHARE_60 = [{"parameter": f"{PP41}.share_max", "value": 0.6, "in_force_from": "2027-01-01", "source": "тест"}]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def purchase(db):
    """A cluster in the registry since 2020; A bought a 100 000 000 ₽ start batch from B in April 2025."""
    cluster = factories.entered_cluster(on=date(2020, 5, 1))
    a, b = factories.organization(short_name="ООО «А»"), factories.organization(short_name="ООО «Б»")
    for org in (a, b):
        registry.membership_create(organization=org, site=cluster, user=None, role="participant",
                                   date_from=date(2021, 1, 1), producing=True)  # fmt: skip
    project = registry.project_create(user=None, site=cluster, title="Проект", participants=[(b, "lead"), (a, "buyer")])
    registry.start_batch_purchase_add(project=project, user=None, buyer=a, supplier=b, amount_rub=100_000_000,
                                      date=date(2025, 4, 10), documented=True)  # fmt: skip
    return a


@pytest.fixture
def share_60(db):
    return ScenarioRecord.objects.create(name="share-60", title="Доля 60 %", changes=SHARE_60)


def test_registry_run_by_hand(purchase, share_60):
    run = services.run_create(
        user=None, scenario=["share-60"], baseline=[], params={"years": [2026, 2028], "growth": 0}, sensitivity=False
    )
    assert run.status == "done", run.error
    by_year = [r for r in run.report["by_year"] if r["measure"] == PP41]
    assert [r["baseline_rub"] for r in by_year] == [50_000_000] * 3
    assert [r["scenario_rub"] for r in by_year] == [50_000_000, 60_000_000, 60_000_000]
    assert run.texts["share-60"].startswith("title: Доля 60 %") and run.rules_version
    sheet = load_workbook(run.files["xlsx"], read_only=True)["Меры"]
    assert list(sheet.iter_rows(values_only=True))[1][3:6] == (150_000_000, 170_000_000, 20_000_000)
    pdf = PdfReader(run.files["pdf"])
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Доля 60 %" in text and "По мерам" in text and "Неподтверждённые" in text
    assert "150 000 000" in text.replace("\u00a0", " ")


def test_api_runs_and_reports(purchase, share_60):
    client = Client()
    body = {"scenario": ["share-60"], "params": {"years": [2026, 2026], "growth": 0}, "sensitivity": False}
    response = client.post("/api/v1/simulations", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    run = response.json()
    assert run["status"] == "done" and run["report"]["total"]["baseline"]["cost_window_rub"] == 50_000_000
    assert set(run["files"]) == {"json", "xlsx", "parquet", "csv", "pdf"}
    got = client.get(f"/api/v1/simulations/{run['id']}").json()
    assert got["progress"] == 1.0 and got["message"] == "Готово"
    assert client.get(run["files"]["xlsx"].replace("http://testserver", "")).status_code == 200


@pytest.mark.parametrize(
    ("body", "loc", "message"),
    [
        ({"scenario": []}, ["body", "scenario"], "Выберите хотя бы один сценарий"),
        ({"scenario": ["нет_такого"]}, ["body", "scenario", 0], "«нет_такого» не найден"),
        ({"scenario": ["akit_2023_round_table"], "params": {"years": [2030, 2026]}}, ["body", "params", "years"],
         "первый ≤ последний"),
        ({"scenario": ["akit_2023_round_table"], "population": "../etc"}, ["body", "population"], "не найдена"),
    ],
)  # fmt: skip
def test_api_bad_runs_are_422_naming_the_field(db, body, loc, message):
    response = Client().post("/api/v1/simulations", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == loc and message in detail["msg"]
    assert SimulationRun.objects.count() == 0


def test_scenario_records_are_validated_and_need_permission(db):
    client = Client()
    body = {"name": "cap-300", "title": "Предел 300 млн", "changes": [
        {"parameter": f"{PP41}.cap_per_applicant", "value": 300_000_000, "in_force_from": "2027-01-01"}]}  # fmt: skip
    assert client.post("/api/v1/scenarios", json.dumps(body), content_type="application/json").status_code == 401
    user = User.objects.create_user("analyst", password="x")
    user.user_permissions.add(Permission.objects.get(codename="add_scenariorecord"))
    client.force_login(user)
    bad = {**body, "changes": [{"parameter": f"{PP41}.no_such", "value": 1, "in_force_from": "2027-01-01"}]}
    response = client.post("/api/v1/scenarios", json.dumps(bad), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "changes", 0]
    assert "параметра «pp41_start_batch_subsidy.no_such» нет" in response.json()["detail"][0]["msg"]
    wrong_type = {**body, "changes": [{**body["changes"][0], "value": "много"}]}
    response = client.post("/api/v1/scenarios", json.dumps(wrong_type), content_type="application/json")
    assert response.status_code == 422 and "число, а задано «много»" in response.json()["detail"][0]["msg"]
    assert client.post("/api/v1/scenarios", json.dumps(body), content_type="application/json").status_code == 201
    names = [s["name"] for s in client.get("/api/v1/scenarios").json()]
    assert {"akit_2023_round_table", "duma_expert_council_2026", "cap-300"} <= set(names)


def test_population_directory_runs_in_the_background(transactional_db, var_dir):
    write_population(var_dir / "populations" / "small")
    run = services.run_create(
        user=None, scenario=["duma_expert_council_2026"], baseline=[], population="small",
        params={"years": [2026, 2026], "growth": 0}, sensitivity=False,
    )  # fmt: skip
    assert run.status in ("queued", "running", "done")
    services._threads.get(run.pk) and services._threads[run.pk].join(60)
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert run.report["measures"][0]["baseline"]["cost_first_year_rub"] == 50_000_000


def test_pages(purchase, share_60):
    client = Client()
    page = client.get("/reforms/").content.decode()
    assert "Реформы: сколько стоит предложение" in page and "Доля 60 %" in page
    form = {"scenario": ["share-60"], "population": "registry", "year_from": 2026, "year_to": 2027, "growth": "0",
            "rationing": "ranked", "take_up_mode": "expected", "pp41_budget": "30 000 000",
            **{f"take_up_{m}": "1" for m in (PP41, "industrial_mortgage", "cluster_investment_platform",
                                              "cluster_insurance_premiums")}}  # fmt: skip
    response = client.post("/reforms/", form)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Лимиты ассигнований" in page and "30\u00a0000\u00a0000" in page and "60,0" in page  # 30 of 50 million
    csv = b"".join(client.get(response["Location"] + "?export=by_year").streaming_content).decode()
    assert csv.splitlines()[1].startswith("2026")
    bad = client.post("/reforms/", {**form, "year_from": 2031}).content.decode()
    assert "Последний год не может быть раньше первого" in bad


def test_xlsx_opens_as_a_workbook(purchase, share_60):
    run = services.run_create(user=None, scenario=["share-60"], baseline=[], params={"years": [2026, 2026]},
                              sensitivity=False)  # fmt: skip
    data = Client().get(f"/reforms/{run.pk}/xlsx/")
    book = load_workbook(io.BytesIO(b"".join(data.streaming_content)), read_only=True)
    assert book.sheetnames[0] == "Сценарий"


def test_scenario_page_saves_a_proposal_for_an_analyst_and_explains_refusals(db):
    """«Новый сценарий»: the form renders, refuses a visitor without the right and a value of the wrong
    type (naming the row), and saves a valid proposal that the scenario list then offers."""
    client = Client()
    page = client.get("/reforms/scenarios/new/")
    assert page.status_code == 200
    assert 'for="id_parameter_0">Параметр' in page.content.decode()
    form = {"name": "cap-300", "title": "Предел 300 млн", "source": "тест", "parameter_0": f"{PP41}.cap_per_applicant",
            "value_0": "300 000 000", "from_0": "01.01.2027"}  # fmt: skip
    assert "Войдите" in client.post("/reforms/scenarios/new/", form).content.decode()
    user = User.objects.create_user("analyst", password="x")
    user.user_permissions.add(Permission.objects.get(codename="add_scenariorecord"))
    client.force_login(user)
    wrong = client.post("/reforms/scenarios/new/", {**form, "value_0": "много"}).content.decode()
    assert "число, а задано «много»" in wrong and not ScenarioRecord.objects.exists()
    response = client.post("/reforms/scenarios/new/", form)
    assert response.status_code == 302 and response["Location"] == "/reforms/"
    saved = ScenarioRecord.objects.get(name="cap-300")
    assert saved.changes == [{"parameter": f"{PP41}.cap_per_applicant", "value": 300_000_000,
                              "in_force_from": "2027-01-01", "source": "тест"}]  # fmt: skip
    assert "Предел 300 млн" in client.get("/reforms/").content.decode()
