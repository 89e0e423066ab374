"""The microsimulation against hand computation (ПП № 41: share × purchases, under the 150 000 000 ₽ cap)."""

from datetime import date

import polars as pl
import pytest

from klaster.simulation.params import RunParams
from klaster.simulation.population import PopulationError, from_directory
from klaster.simulation.report import _transitions
from klaster.simulation.runner import Spec, simulate
from klaster.simulation.tests.conftest import write_population

PP41 = "pp41_start_batch_subsidy"


def run(population, scenario, baseline=(), **params):
    params = {"years": (2026, 2028), "growth": 0.0, **params}
    report, per_firm = simulate(
        population, Spec(list(scenario), list(baseline), RunParams(**params)), sensitivity=False
    )
    return report, per_firm


def pp41(report) -> dict:
    return next(m for m in report["measures"] if m["measure"] == PP41)


def by_year(report, side: str) -> list[float]:
    return [r[f"{side}_rub"] for r in report["by_year"] if r["measure"] == PP41]


def test_three_years_by_hand(population, share_2027):
    # 2026: 100 000 000 × 0,5 = 50 000 000; 2027–2028 under the scenario: 100 000 000 × 0,6 = 60 000 000.
    report, per_firm = run(population, [str(share_2027)])
    assert by_year(report, "baseline") == [50_000_000, 50_000_000, 50_000_000]
    assert by_year(report, "scenario") == [50_000_000, 60_000_000, 60_000_000]
    m = pp41(report)
    assert m["baseline"]["cost_window_rub"] == 150_000_000 and m["scenario"]["cost_window_rub"] == 170_000_000
    assert m["delta_first_year_rub"] == 0 and m["delta_window_rub"] == 20_000_000
    assert (m["kept"], m["gained"], m["lost"]) == (1, 0, 0)
    assert report["total"]["delta_window_rub"] == 20_000_000
    assert per_firm.filter(pl.col("measure") == PP41)["scenario_kop"].to_list() == [5e9, 6e9, 6e9]
    assert report["top_gainers"][0]["name"] == "ООО «А»" and report["top_gainers"][0]["delta_rub"] == 20_000_000
    districts = {row["key"]: row["delta_rub"] for row in report["breakdowns"]["district"]}
    assert districts["Центральный"] == 20_000_000


def test_growth_moves_purchases_and_figures(population, share_2027):
    # Purchases grow 10 % a year from 2025: 110 000 000, 121 000 000, 133 100 000; half is paid.
    report, _ = run(population, [str(share_2027)], growth=0.1)
    assert by_year(report, "baseline") == [55_000_000, 60_500_000, 66_550_000]
    assert pp41(report)["baseline"]["cost_window_rub"] == 182_050_000


def test_cap_per_applicant(tmp_path, share_2027):
    # 400 000 000 × 0,5 = 200 000 000 > cap: 150 000 000 a year.
    pop = from_directory(write_population(tmp_path / "big", [(1, 10, 11, 400_000_000, date(2025, 4, 10), True)]))
    report, _ = run(pop, [str(share_2027)])
    assert by_year(report, "baseline") == [150_000_000] * 3


@pytest.mark.parametrize(
    ("rule", "paid"),
    [
        # demand 50 000 000 (A, bought 10.04) + 10 000 000 (C, bought 01.06) against 30 000 000
        ("ranked", {"ООО «А»": 20_000_000, "ООО «В»": 10_000_000}),  # smaller request first
        ("pro_rata", {"ООО «А»": 25_000_000, "ООО «В»": 5_000_000}),
        ("first_come", {"ООО «А»": 30_000_000, "ООО «В»": 0}),
    ],
)
def test_budget_rationing(tmp_path, share_2027, rule, paid):
    purchases = [(1, 10, 11, 100_000_000, date(2025, 4, 10), True), (1, 13, 11, 20_000_000, date(2025, 6, 1), True)]
    pop = from_directory(write_population(tmp_path / rule, purchases))
    report, per_firm = run(
        pop, [str(share_2027)], years=(2026, 2026), budget={PP41: {2026: 30_000_000}}, rationing=rule
    )
    line = report["budget"]["baseline"][0]
    assert (line["demand_rub"], line["budget_rub"], line["paid_rub"]) == (60_000_000, 30_000_000, 30_000_000)
    assert line["funded_share"] == pytest.approx(0.5)
    names = {10: "ООО «А»", 13: "ООО «В»"}
    got = {names[r["firm_id"]]: r["baseline_kop"] / 100 for r in per_firm.filter(pl.col("measure") == PP41).to_dicts()}
    assert {k: v for k, v in got.items() if v} == {k: v for k, v in paid.items() if v}


def test_unknown_appropriation_pays_demand_and_says_so(population, share_2027):
    report, _ = run(population, [str(share_2027)], years=(2026, 2026))
    line = report["budget"]["baseline"][0]
    assert line["budget_rub"] is None and line["paid_rub"] == 50_000_000
    assert line["budget_source"].startswith("не установлен")


def test_chunking_does_not_change_a_kopeck(tmp_path, share_2027):
    purchases = [(1, 10, 11, 123_456_789, date(2025, 4, 10), True), (1, 13, 11, 20_000_001, date(2025, 6, 1), True)]
    pop = from_directory(write_population(tmp_path / "chunks", purchases))
    whole, rows_whole = run(pop, [str(share_2027)])
    split, rows_split = run(pop, [str(share_2027)], chunk_firms=1)
    assert rows_whole.equals(rows_split)
    assert whole["total"] == split["total"]
    assert pp41(whole)["baseline"]["cost_window_rub"] == 3 * (61_728_394.5 + 10_000_000.5)


def test_stacked_scenarios_and_a_reform_as_baseline(tmp_path, population, share_2027):
    more = tmp_path / "share70.yaml"
    more.write_text(
        "title: Доля 70 %\nchanges:\n  - {parameter: pp41_start_batch_subsidy.share_max, value: 0.7, "
        "in_force_from: 2028-01-01, source: тест}\n",
        encoding="utf-8",
    )
    report, _ = run(population, [str(share_2027), str(more)])
    assert by_year(report, "scenario") == [50_000_000, 60_000_000, 70_000_000]
    # The 70 % proposal measured against the 60 % one, not against today's law.
    report, _ = run(population, [str(more)], baseline=[str(share_2027)])
    assert by_year(report, "baseline") == [50_000_000, 60_000_000, 60_000_000]
    assert pp41(report)["delta_window_rub"] == 10_000_000
    assert report["baseline"]["changes"][0]["parameter"] == "pp41_start_batch_subsidy.share_max"


def test_take_up_expected_value(population, share_2027):
    report, _ = run(population, [str(share_2027)], take_up={PP41: 0.5})
    assert by_year(report, "baseline") == [25_000_000] * 3


def test_an_unknown_is_never_counted_as_lost():
    base = pl.DataFrame({"firm": [1, 2], "measure": ["m", "m"], "paid": [1, 1], "weight": [1.0, 1.0]})
    scen = pl.DataFrame({"firm": [1], "measure": ["m"], "paid": [0], "weight": [1.0]})
    assert _transitions(base, scen) == {"kept": 0.0, "gained": 0.0, "lost": 1.0, "unknown": 1.0}


def test_report_names_its_inputs(population, share_2027):
    report, _ = run(population, ["duma_expert_council_2026"])
    assert report["rules_version"] and report["params"]["years"] == [2026, 2028]
    assert "duma_expert_council_2026" in report["scenario"]["texts"]
    assert any("pp719" in item["item"] for item in report["not_modelled"])
    assert any("экономия заёмщика" in a for a in report["assumptions"])
    assert any(u["parameter"] == "cluster_investment_platform.min_loan" for u in report["unverified"])


def test_sensitivity_reruns_conflicting_values(population):
    report, _ = simulate(population, Spec(["duma_expert_council_2026"], [], RunParams(years=(2026, 2026))))
    variants = [s["variant"] for s in report["sensitivity"]]
    assert any(v.startswith("cluster_investment_platform.min_loan = 1000000000") for v in variants)
    assert any(v.startswith("general.market_rate_margin = 0.02") for v in variants)


def test_bad_population_is_a_clear_error(tmp_path, population_dir):
    (population_dir / "loans.parquet").unlink()
    with pytest.raises(PopulationError, match=r"нет файла loans\.parquet"):
        from_directory(population_dir)
    (population_dir / "loans.parquet").write_text("не parquet")
    with pytest.raises(PopulationError, match="не читается как Parquet"):
        from_directory(population_dir)
    with pytest.raises(PopulationError, match="не найден"):
        from_directory(tmp_path / "nowhere")


def test_run_parameters_are_checked():
    with pytest.raises(ValueError, match="годы"):
        RunParams(years=(2030, 2026))
    with pytest.raises(ValueError, match="take_up"):
        RunParams(take_up={"unknown_measure": 0.5})
    with pytest.raises(ValueError, match=r"лимит задаётся только"):
        RunParams(budget={"industrial_mortgage": {2026: 1.0}})


def test_a_proposed_measure_is_off_in_the_baseline_and_on_in_its_scenario(tmp_path):
    # Project 1, led by B: 80 000 000 equipment + 40 000 000 tooling in 2025, repeated each year (growth 0).
    # The Duma proposal switches the subsidy on from 2027: (80 + 40) × 0,5 = 60 000 000 a year (assumptions).
    costs = [(1, "equipment", 80_000_000, 2025), (1, "tooling", 40_000_000, 2025)]
    pop = from_directory(write_population(tmp_path / "eq", costs=costs))
    report, _ = run(pop, ["duma_expert_council_2026"])
    rows = [r for r in report["by_year"] if r["measure"] == "equipment_tooling_subsidy"]
    assert [r["baseline_rub"] for r in rows] == [0, 0, 0]
    assert [r["scenario_rub"] for r in rows] == [0, 60_000_000, 60_000_000]
    m = next(m for m in report["measures"] if m["measure"] == "equipment_tooling_subsidy")
    assert (m["gained"], m["lost"]) == (1, 0)
    assumed = {u["parameter"] for u in report["unverified"] if u["assumption"]}
    assert {"equipment_tooling_subsidy.share_max", "equipment_tooling_subsidy.cap_per_applicant"} <= assumed
    assert not any("equipment_tooling_subsidy" in n["item"] for n in report["not_modelled"])
