"""A whole simulation run: population → both rule systems over the window → behaviour → report.

The report says exactly what it was computed with (scenario and baseline texts, run parameters,
population, rules version), so it can be recomputed and audited.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy
import polars as pl
import yaml

from klaster.rules.measures import MEASURES as RULE_MEASURES
from klaster.rules.reforms.scenario import BUILT_IN, Scenario, load, to_dict
from klaster.rules.version import rules_version
from klaster.simulation import budget, report
from klaster.simulation.engine import run_local_many
from klaster.simulation.params import BUDGET_LIMITED, MEASURES, RunParams
from klaster.simulation.population import Population
from klaster.simulation.systems import stack, variants
from klaster.simulation.tables import Prepared, prepare
from klaster.simulation.years import purchases_of

Progress = Callable[[float, str], None]
LOAN_PROXY = (
    "Бюджетная стоимость льготного кредита — компенсация банку, формула которой не подтверждена; "
    "вместо неё — экономия заёмщика на процентах (рыночная ставка минус льготная)"
)
ALWAYS = (
    "Год Y оценивается на 31 декабря Y; выручка, ФОТ, численность и суммы новых кредитов и закупок "
    "растут на {growth:.1%} в год",
    "Новые кредиты — ежегодные когорты копий кредитов последнего года популяции ({cohort} в год)",
    "Закупки стартовых партий после последнего года популяции повторяют закупки этого года с ростом",
    "Доля получателей (take-up): {take_up} ({mode})",
)  # fmt: skip


Ref = str | Scenario  # a built-in name, a YAML path or a scenario object (a saved record)


@dataclass
class Spec:
    scenario: list[Ref]  # stacked in order
    baseline: list[Ref]  # empty = today's law
    params: RunParams
    engine: Literal["local", "dask"] = "local"
    scheduler: str | None = None


def _scenario(ref: Ref) -> Scenario:
    return ref if isinstance(ref, Scenario) else load(ref)


def scenario_text(ref: Ref) -> str:
    if isinstance(ref, Scenario):
        return yaml.safe_dump(to_dict(ref), allow_unicode=True, sort_keys=False)
    path = Path(ref) if Path(ref).suffix else BUILT_IN / f"{ref}.yaml"
    return path.read_text(encoding="utf-8")


def _describe(refs: list[Ref]) -> dict:
    scenarios: list[Scenario] = [_scenario(r) for r in refs]
    return {
        "names": [s.name for s in scenarios],
        "title": " + ".join(s.title for s in scenarios) or "Действующие правила",
        "changes": [
            {
                "scenario": s.name,
                "parameter": c.parameter,
                "value": c.value,
                "in_force_from": c.in_force_from.isoformat(),
                "in_force_until": c.in_force_until.isoformat() if c.in_force_until else None,
                "source": c.source,
                "assumption": c.assumption,
            }
            for s in scenarios
            for c in s.changes
        ],
        "not_modelled": [{"scenario": s.name, "item": item} for s in scenarios for item in s.not_modelled],
        "texts": {s.name: scenario_text(r) for s, r in zip(scenarios, refs, strict=True)},
    }


def _run_engine(
    spec: Spec, pairs: list[tuple[list[Ref], object]], prep: Prepared, progress: Progress
) -> list[pl.DataFrame]:
    """Per-firm rows of each (scenario references, rule system) pair, on the chosen engine."""
    if spec.engine == "dask":
        from klaster.simulation.distributed import run_dask

        return [
            run_dask(refs, prep, spec.params, spec.scheduler, lambda share, text, i=i: progress((i + share) / 2, text))
            for i, (refs, _) in enumerate(pairs)
        ]
    return run_local_many([system for _, system in pairs], prep, spec.params, progress)


def _first_purchases(prep: Prepared, params: RunParams) -> dict[tuple[int, int], float]:
    out: dict[tuple[int, int], float] = {}
    for year in params.year_list:
        buys = purchases_of(prep, year, params.growth)
        for firm, day in zip(buys["buyer"].tolist(), buys["date"].tolist(), strict=True):
            key = (firm, year)
            out[key] = min(out.get(key, day), day)
    return out


def limits(system, params: RunParams) -> dict[str, dict[int, tuple[float | None, str]]]:
    """Each budget-limited measure's appropriation per year: the run's figure, else the rules' parameter
    (a scenario may change it), else unknown."""
    out: dict[str, dict[int, tuple[float | None, str]]] = {}
    for measure in BUDGET_LIMITED:
        given = params.budget.get(measure, {})
        param = system.parameters.children[measure].children.get("appropriation_rub")
        for year in params.year_list:
            if year in given:
                out.setdefault(measure, {})[year] = (given[year], "параметр запуска")
                continue
            value = param(f"{year}-01-01") if param is not None else None
            known = value is not None and not (isinstance(value, float) and numpy.isnan(value))
            out.setdefault(measure, {})[year] = (
                (float(value), "параметр правил") if known else (None, "не установлен — выплаты равны спросу")
            )
    return out


def behave(
    raw: pl.DataFrame, prep: Prepared, params: RunParams, first: dict, system
) -> tuple[pl.DataFrame, list[dict]]:
    weights = prep.firm_info["weight"].to_numpy()
    rows = budget.take_up(budget.weighted(raw, weights), params)
    return budget.apply_budget(rows, params, limits(system, params), first)


def _unverified(systems) -> list[dict]:
    """Parameters of the simulated measures whose value in the window is unverified or conflicting."""
    seen = {}
    for system in systems:
        for measure in MEASURES:
            for path in (*RULE_MEASURES[measure].parameters, "general.market_rate_margin"):
                node = system.parameters
                for part in path.split("."):
                    node = node.children[part]
                for value in node.values_list:
                    meta = value.metadata or {}
                    if meta.get("confidence") in ("unverified", "conflicting") or meta.get("assumption"):
                        seen[(path, value.instant_str)] = {
                            "parameter": path,
                            "since": value.instant_str,
                            "value": value.value,
                            "confidence": meta.get("confidence"),
                            "assumption": bool(meta.get("assumption")),
                            "notes": meta.get("notes", ""),
                        }
    return sorted(seen.values(), key=lambda r: (r["parameter"], r["since"]))


def _sensitivity(spec: Spec, prep: Prepared, first: dict, part: Callable[[float, str], Progress]) -> list[dict]:
    """Both runs again with each conflicting value and key assumption at its other value (local engine)."""
    out = []
    for i, variant in enumerate(variants()):
        totals = []
        systems = [stack(names, variant.scenario) for names in (spec.baseline, spec.baseline + spec.scenario)]
        raws = run_local_many(systems, prep, spec.params, part(2 + i, variant.title))
        for raw, system in zip(raws, systems, strict=True):
            rows, _ = behave(raw, prep, spec.params, first, system)
            totals.append(int(rows["amount_kop"].sum()))
        out.append(
            {
                "variant": variant.title,
                "baseline_window_rub": report.money(totals[0]),
                "scenario_window_rub": report.money(totals[1]),
                "delta_window_rub": report.money(totals[1] - totals[0]),
            }
        )
    return out


def simulate(
    pop: Population, spec: Spec, progress: Progress | None = None, sensitivity: bool = True
) -> tuple[dict, pl.DataFrame]:
    """The report (JSON-ready dict) and the per-firm rows (firm, measure, year, baseline/scenario kopecks)."""
    params = spec.params
    say = progress or (lambda share, text: None)
    say(0.0, "Подготовка популяции")
    prep = prepare(pop)
    first = _first_purchases(prep, params)
    base_system, scen_system = stack(spec.baseline), stack(spec.baseline + spec.scenario)
    steps = 2 + (len(variants()) if sensitivity else 0)

    def part(i: float, label: str) -> Progress:
        return lambda share, text: say((i + share) / steps, f"{label}: {text}")

    raw_base, raw_scen = _run_engine(
        spec,
        [(spec.baseline, base_system), (spec.baseline + spec.scenario, scen_system)],
        prep,
        lambda share, text: say(share * 2 / steps, f"база и сценарий: {text}"),
    )
    base, base_budget = behave(raw_base, prep, params, first, base_system)
    scen, scen_budget = behave(raw_scen, prep, params, first, scen_system)
    out = report.compare(base, scen, prep.firm_info, params.year_list)
    sens = _sensitivity(spec, prep, first, part) if sensitivity else []
    cohort = params.loan_cohort if params.loan_cohort is not None else "среднее за три года"
    assumptions = [LOAN_PROXY] + [
        a.format(growth=params.growth, cohort=cohort, take_up=params.take_up, mode=params.take_up_mode) for a in ALWAYS
    ]
    for measure in MEASURES:
        assumptions += [f"{report.TITLES[measure]}: {a}" for a in RULE_MEASURES[measure].assumptions]
    scenario = _describe(spec.scenario)
    out.update(
        {
            "title": f"{scenario['title']} — против: {_describe(spec.baseline)['title']}",
            "scenario": scenario,
            "baseline": _describe(spec.baseline),
            "rules_version": rules_version(),
            "params": params.model_dump(mode="json"),
            "engine": spec.engine,
            "population": {
                "source": pop.source,
                "counts": pop.counts(),
                "weighted_firms": float(numpy.sum(prep.firm_info["weight"].to_numpy())),
            },
            "years": params.year_list,
            "budget": {"baseline": base_budget, "scenario": scen_budget},
            "assumptions": assumptions,
            "unverified": _unverified([base_system, scen_system]),
            "sensitivity": sens,
            "not_modelled": scenario["not_modelled"],
        }
    )
    per_firm = (
        base.select("firm", "measure", "year", pl.col("amount_kop").alias("baseline_kop"))
        .join(
            scen.select("firm", "measure", "year", pl.col("amount_kop").alias("scenario_kop")),
            on=["firm", "measure", "year"],
            how="full",
            coalesce=True,
        )
        .fill_null(0)
        .join(prep.firm_info.select("firm", "firm_id"), on="firm", how="left")
        .sort(["firm", "measure", "year"])
    )
    say(1.0, "Готово")
    return out, per_firm
