"""Rule systems for a run: a baseline that may itself be a reform, scenarios stacked on it, and the
sensitivity variants (each `conflicting` value and key assumption at its other value)."""

from dataclasses import dataclass
from datetime import date

from klaster.rules.reforms.scenario import Change, Scenario, apply, load
from klaster.rules.system import baseline

# Key assumptions rerun at other values (path → values); `conflicting` values come from the parameters.
ASSUMPTIONS: dict[str, tuple[float, ...]] = {"general.market_rate_margin": (0.02, 0.04)}


def stack(names: list[str | Scenario], extra: Scenario | None = None):
    """Today's law with `extra` (a sensitivity variant) under it and each scenario applied in turn."""
    system = baseline()
    if extra is not None:
        system = apply(system, extra)
    for name in names:
        scenario = name if isinstance(name, Scenario) else load(name)
        system = apply(system, scenario)
    return system


@dataclass(frozen=True)
class Variant:
    title: str
    scenario: Scenario


def _walk(node, prefix=""):
    for name, child in getattr(node, "children", {}).items():
        path = f"{prefix}{name}"
        if hasattr(child, "values_list"):
            yield path, child
        else:
            yield from _walk(child, f"{path}.")


def variants() -> list[Variant]:
    """One variant per conflicting value (its `alternative_value`) and per key assumption value."""
    out = []
    for path, param in _walk(baseline().parameters):
        for value in param.values_list:
            meta = value.metadata or {}
            if meta.get("confidence") == "conflicting" and meta.get("alternative_value") is not None:
                alt = meta["alternative_value"]
                since = date.fromisoformat(value.instant_str)
                title = f"{path} = {alt} (другой источник; в базе {value.value})"
                change = Change(path, alt, since, confidence="conflicting", source=str(meta.get("source", "")))
                out.append(Variant(title, Scenario(f"sensitivity_{path}", title, (change,))))
    for path, values in ASSUMPTIONS.items():
        for alt in values:
            title = f"{path} = {alt} (допущение)"
            change = Change(path, alt, date(2000, 1, 1), confidence="unverified")
            out.append(Variant(title, Scenario(f"sensitivity_{path}_{alt}", title, (change,))))
    return out
