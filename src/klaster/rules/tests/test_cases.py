"""Runs the YAML case files (one per measure) through the JSON contract, compared exactly.

OpenFisca's own runner compares in float32 and builds with `SimulationBuilder`; these files go
through Klaster's builder and assert amounts to the kopeck (`==`, no tolerance)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from klaster.rules.contract import EvalInput, evaluate

CASES = Path(__file__).parent


def _load() -> list[tuple[str, dict, dict]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append((f"{path.stem}: {case['name']}", data.get("base", {}), case))
    return out


def _subset(actual: Any, expected: Any, where: str) -> None:
    """Every expected key equals the actual one. In lists, a plain item must be present; a dict item
    matches the actual item with the same `project`, or the one at the same position."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        for key, value in expected.items():
            assert key in actual, f"{where}.{key}: нет в ответе"
            _subset(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        for i, item in enumerate(expected):
            if not isinstance(item, dict):
                assert item in actual, f"{where}: нет «{item}»"
                continue
            match = actual[i] if i < len(actual) else None
            if isinstance(item, dict) and "project" in item:
                match = next((a for a in actual if a.get("project") == item["project"]), None)
            assert match is not None, f"{where}[{i}]: нет в ответе"
            _subset(match, item, f"{where}[{i}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


@pytest.mark.parametrize(("name", "base", "case"), _load(), ids=[c[0] for c in _load()])
def test_case(name: str, base: dict, case: dict) -> None:
    data = {**base, **case.get("input", {})}
    if "date" in case:
        data["date"] = case["date"]
    scenario = case.get("scenario")
    if scenario and scenario.endswith(".yaml"):
        scenario = str(CASES / scenario)
    output = evaluate(EvalInput.model_validate(data), scenario=scenario).model_dump(mode="json")
    for expected in case["expect"]:
        found = [
            r
            for r in output["results"]
            if r["measure"] == expected["measure"]
            and r["id"] == expected["id"]
            and r["period"] == str(expected.get("period", r["period"]))
        ]
        assert found, f"{name}: нет результата {expected['measure']} {expected['id']}"
        result = found[0]
        conditions = {c["code"]: c["status"] for c in result["conditions"]}
        for key, value in expected.items():
            if key == "conditions":
                for code, status in value.items():
                    assert conditions.get(code) == status, (
                        f"{name}: {code} = {conditions.get(code)}, ожидалось {status}"
                    )
            elif key in ("measure", "id"):
                continue
            else:
                _subset(result[key], value, f"{name}: {key}")
