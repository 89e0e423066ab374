"""A scenario is a list of dated parameter changes (YAML) → an OpenFisca Reform.

Two OpenFisca traps are handled here: `Parameter.update()` creates values without metadata (each
new value gets the change's source, reference and confidence, and the value re-inserted after a
bounded change gets back its own), and an open-ended update erases every later dated value (so a
change may be bounded by `in_force_until`, inclusive)."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from openfisca_core.parameters import Parameter
from openfisca_core.periods import instant
from openfisca_core.reforms import Reform

BUILT_IN = Path(__file__).parent
CONFIDENCE = ("act", "secondary", "conflicting", "unverified")


class ScenarioError(ValueError):
    """A scenario that cannot be applied; the message is Russian and names the change."""


@dataclass(frozen=True)
class Change:
    parameter: str
    value: Any
    in_force_from: date
    in_force_until: date | None = None
    source: str = ""
    reference: str = ""
    confidence: str = "secondary"
    unit: str | None = None
    assumption: bool = True


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    changes: tuple[Change, ...]
    not_modelled: tuple[str, ...] = field(default=())


def built_in_names() -> list[str]:
    return sorted(p.stem for p in BUILT_IN.glob("*.yaml"))


def load(name_or_path: str | Path) -> Scenario:
    """A built-in scenario by name, or a YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = BUILT_IN / f"{name_or_path}.yaml"
    if not path.is_file():
        raise ScenarioError(f"Сценарий: «{name_or_path}» не найден; встроенные: {', '.join(built_in_names())}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ScenarioError(f"Сценарий {path.stem}: не YAML ({exc.__class__.__name__})") from None
    return parse(path.stem, data)


def parse(name: str, data: dict) -> Scenario:
    """A scenario from its YAML mapping (a file's content or a saved record's fields)."""
    if not isinstance(data, dict):
        raise ScenarioError(f"Сценарий {name}: ожидается словарь с title и changes")
    changes = []
    for i, raw in enumerate(data.get("changes") or []):
        try:
            raw = dict(raw)
            raw["in_force_from"] = _date(raw["in_force_from"])
            raw["in_force_until"] = _date(raw.get("in_force_until"))
            changes.append(Change(**raw))
        except KeyError as exc:
            raise ScenarioError(f"Сценарий {name}, изменение {i + 1}: нет поля {exc}") from None
        except (TypeError, ValueError) as exc:
            raise ScenarioError(f"Сценарий {name}, изменение {i + 1}: {exc}") from None
    return Scenario(name, data.get("title", name), tuple(changes), tuple(data.get("not_modelled") or ()))


def to_dict(scenario: Scenario) -> dict:
    """The YAML mapping of a scenario (the text a report quotes)."""
    changes = []
    for c in scenario.changes:
        item = {"parameter": c.parameter, "value": c.value, "in_force_from": c.in_force_from.isoformat()}
        if c.in_force_until:
            item["in_force_until"] = c.in_force_until.isoformat()
        item.update({"source": c.source, "confidence": c.confidence, "assumption": c.assumption})
        changes.append(item)
    return {"title": scenario.title, "changes": changes, "not_modelled": list(scenario.not_modelled)}


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _find(node, path: str) -> Parameter:
    for part in path.split("."):
        children = getattr(node, "children", None)
        if children is None or part not in children:
            raise ScenarioError(f"Сценарий: параметра «{path}» нет в дереве параметров")
        node = children[part]
    if not isinstance(node, Parameter):
        raise ScenarioError(f"Сценарий: «{path}» — раздел, а не параметр")
    return node


def _check(param: Parameter, change: Change) -> None:
    unit = param.metadata.get("unit")
    if change.unit and unit and change.unit != unit:
        raise ScenarioError(
            f"Сценарий: единица «{change.unit}» не совпадает с единицей параметра {change.parameter} ({unit})"
        )
    if change.confidence not in CONFIDENCE:
        raise ScenarioError(f"Сценарий: недопустимая достоверность «{change.confidence}» у {change.parameter}")
    current = next((v.value for v in param.values_list if v.value is not None), None)
    numeric = isinstance(current, int | float) and not isinstance(current, bool)
    if numeric and not isinstance(change.value, int | float) and change.value is not None:
        raise ScenarioError(f"Сценарий: {change.parameter} — число, а задано «{change.value}»")
    if not 1990 <= change.in_force_from.year <= 2100:
        raise ScenarioError(f"Сценарий: у {change.parameter} дата начала {change.in_force_from} вне 1990–2100")
    if change.in_force_until and change.in_force_until < change.in_force_from:
        raise ScenarioError(f"Сценарий: у {change.parameter} дата окончания раньше даты начала")


def apply_change(param: Parameter, change: Change, scenario: str) -> None:
    """`Parameter.update` plus the metadata it drops."""
    before = {v.instant_str: v.metadata for v in param.values_list}
    start = instant(change.in_force_from.isoformat())
    stop = instant(change.in_force_until.isoformat()) if change.in_force_until else None
    param.update(start=start, stop=stop, value=change.value)
    start_str = str(start)
    for value in param.values_list:
        if value.instant_str == start_str:
            value.metadata = {
                **{k: v for k, v in param.metadata.items() if k == "unit"},
                "reference": [{"title": change.reference or f"Сценарий «{scenario}»"}],
                "source": change.source,
                "confidence": change.confidence,
                "assumption": change.assumption,
                "scenario": scenario,
                "notes": f"Сценарий «{scenario}»" + (f" до {change.in_force_until:%d.%m.%Y}" if stop else ""),
            }
        elif not value.metadata:
            # The value re-inserted after a bounded change: the metadata of what was in force then.
            older = [k for k in before if k <= value.instant_str]
            value.metadata = dict(before[max(older)]) if older else {}


def validate(scenario: Scenario) -> None:
    """Every change against the parameter tree: an unknown path, a wrong unit or type, a bad date."""
    from klaster.rules.system import baseline

    for change in scenario.changes:
        _check(_find(baseline().parameters, change.parameter), change)


def apply(baseline, scenario: Scenario):
    """A Reform of `baseline` with every change of `scenario`, in order (stacking = applying in turn)."""
    for change in scenario.changes:
        _check(_find(baseline.parameters, change.parameter), change)

    def modifier(parameters):
        for change in scenario.changes:
            apply_change(_find(parameters, change.parameter), change, scenario.name)
        return parameters

    class ScenarioReform(Reform):
        name = scenario.title

        def apply(self) -> None:
            self.modify_parameters(modifier)

    return ScenarioReform(baseline)


@lru_cache(maxsize=16)
def _cached(key: str, mtime: float):
    from klaster.rules.system import baseline

    return apply(baseline(), load(key))


def system_for(name_or_path: str | None):
    """The baseline, or the scenario's reform (cached per file version)."""
    from klaster.rules.system import baseline

    if not name_or_path:
        return baseline()
    path = Path(name_or_path) if Path(name_or_path).suffix else BUILT_IN / f"{name_or_path}.yaml"
    if not path.is_file():
        load(name_or_path)  # raises the Russian error
    return _cached(str(name_or_path), path.stat().st_mtime)
