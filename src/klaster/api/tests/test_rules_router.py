"""The rules router over HTTP: /api/v1/eval, /api/v1/parameters, /api/v1/parameters/{path}.
The eval endpoint needs no database; `klaster eval` and the API give identical answers."""

import json
from pathlib import Path

import pytest
import typer
from django.test import Client
from typer.testing import CliRunner

from klaster.cli import eval as eval_cli

EXAMPLE = {
    "date": "2026-06-01",
    "firms": [
        {
            "id": "f1",
            "region": "RU-KLU",
            "okved": "29.32",
            "size": "medium",
            "technological_company": False,
            "headcount": 420,
            "revenue_rub": 3100000000,
            "payroll_rub": 600000000,
            "industrial_producer": True,
            "spic": {"version": "1.0", "since": "2023-05-01", "until": "2033-05-01"},
            "memberships": [
                {
                    "site": "s1",
                    "role": "participant",
                    "since": "2021-03-01",
                    "producing": True,
                    "has_contract_with_participant": True,
                }
            ],
        },
        {
            "id": "f2",
            "region": "40",
            "okved": "27.11",
            "size": "small",
            "industrial_producer": True,
            "memberships": [
                {
                    "site": "s1",
                    "role": "participant",
                    "since": "2021-03-01",
                    "producing": True,
                    "has_contract_with_participant": True,
                }
            ],
        },
    ],
    "sites": [
        {
            "id": "s1",
            "kind": "industrial_cluster",
            "regions": ["RU-KLU"],
            "registry": {"status": "entered", "since": "2019-05-01", "confirmed_pp779": True},
            "functional_dependence_share": 0.22,
            "special_territory_participant_share": 0.1,
        }
    ],
    "projects": [
        {
            "id": "p1",
            "site": "s1",
            "import_substitution": True,
            "stage": "serial",
            "participants": [{"firm": "f1", "role": "buyer"}, {"firm": "f2", "role": "lead"}],
            "start_batch_purchases": [{"buyer": "f1", "supplier": "f2", "amount_rub": 120000000, "date": "2025-04-10"}],
            "costs_rub": {"rnd": 100000000, "equipment": 600000000},
        }
    ],
    "loans": [
        {
            "id": "l1",
            "firm": "f1",
            "programme": "industrial_mortgage",
            "amount_rub": 400000000,
            "term_years": 7,
            "signed_on": "2026-03-01",
            "purpose": "purchase",
            "property_area_m2": 6000,
            "property_region": "RU-KLU",
        }
    ],
}


def _post(body, query: str = ""):
    return Client().post(f"/api/v1/eval{query}", data=json.dumps(body), content_type="application/json")


def test_eval_happy_path():
    response = _post(EXAMPLE)
    assert response.status_code == 200, response.content
    data = response.json()
    pp41 = next(r for r in data["results"] if r["measure"] == "pp41_start_batch_subsidy" and r["id"] == "f1")
    assert (pp41["eligible"], pp41["amount_rub"], pp41["period"]) == (True, 60000000.0, "2025")
    assert all(c["reference"] for c in pp41["conditions"])
    assert data["rules_version"]


def test_eval_unknown_field_names_its_path():
    body = {**EXAMPLE, "firms": [{**EXAMPLE["firms"][0], "colour": "red"}]}
    response = _post(body)
    assert response.status_code == 422
    assert [str(part) for part in response.json()["detail"][0]["loc"][-3:]] == ["firms", "0", "colour"]


def test_eval_unknown_region():
    body = {**EXAMPLE, "firms": [{**EXAMPLE["firms"][0], "region": "RU-XX"}]}
    response = _post(body)
    assert response.status_code == 422
    assert [str(part) for part in response.json()["detail"][0]["loc"][-3:]] == ["firms", "0", "region"]


def test_eval_dangling_id():
    body = {**EXAMPLE, "loans": [{**EXAMPLE["loans"][0], "firm": "nobody"}]}
    response = _post(body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "loans", 0, "firm"]


def test_eval_unknown_scenario():
    response = _post(EXAMPLE, "?scenario=nope")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "scenario"]


def test_eval_with_scenario():
    response = _post(EXAMPLE, "?scenario=duma_expert_council_2026")
    assert response.status_code == 200
    assert response.json()["scenario"] == "duma_expert_council_2026"


def test_parameters_tree_and_history():
    tree = Client().get("/api/v1/parameters").json()
    cap = next(p for p in tree if p["path"] == "pp41_start_batch_subsidy.cap_per_applicant")
    assert cap["latest"]["value"] == 150000000 and cap["latest"]["confidence"] == "secondary"
    history = Client().get("/api/v1/parameters/general.key_rate").json()
    assert history["values"][0]["since"] > history["values"][-1]["since"]
    missing = Client().get("/api/v1/parameters/no.such.path")
    assert missing.status_code == 404 and missing.json()["detail"][0]["type"] == "not_found"


def test_cli_and_api_give_identical_answers(tmp_path: Path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    app = typer.Typer()
    app.command("noop")(lambda: None)
    eval_cli.register(app)
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == _post(EXAMPLE).json()


@pytest.mark.parametrize(
    "body", [{**EXAMPLE, "loans": [{**EXAMPLE["loans"][0], "firm": "nobody"}]}, {**EXAMPLE, "date": "yesterday"}]
)
def test_cli_bad_input_exits_2_with_the_field(tmp_path: Path, body):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    app = typer.Typer()
    app.command("noop")(lambda: None)
    eval_cli.register(app)
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 2
    assert ("loans.0.firm" in result.stderr) or ("date" in result.stderr)
