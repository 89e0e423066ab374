"""OpenFisca traps from the design study, each pinned by a test."""

from datetime import date

import numpy
import pytest

from klaster.rules.builder import Tables, build_simulation
from klaster.rules.contract import ContractError, EvalInput, evaluate
from klaster.rules.reforms.scenario import Change, apply_change
from klaster.rules.system import CountryTaxBenefitSystem, baseline


def _kip_loan(amount: float) -> dict:
    return {
        "id": "l1",
        "firm": "f1",
        "programme": "cluster_investment_platform",
        "amount_rub": amount,
        "term_years": 5,
        "signed_on": "2026-06-01",
        "project_cost_rub": 5e9,
        "priority_product": True,
        "lender_authorised": True,
        "investment_phase_years": 1,
    }


def test_money_is_float64_and_one_ruble_below_the_floor_fails():
    """In float32 1 999 999 999 rounds to 2 000 000 000 and would pass the 2 bln floor."""
    assert numpy.float32(1_999_999_999) == numpy.float32(2_000_000_000)
    assert baseline().variables["loan_amount_rub"].dtype == numpy.float64
    out = evaluate(
        EvalInput.model_validate(
            {
                "date": "2026-06-15",
                "firms": [{"id": "f1", "industrial_producer": True}],
                "loans": [_kip_loan(1_999_999_999), {**_kip_loan(2e9), "id": "l2"}],
            }
        )
    )
    by_id = {r.id: r for r in out.results}
    assert by_id["l1"].eligible is False
    assert by_id["l2"].eligible is True
    status = {c.code: c.status for c in by_id["l1"].conditions}
    assert status["cluster_investment_platform_min_loan"] == "failed"


def test_builder_keeps_member_less_rows_as_given():
    """SimulationBuilder would tile 2 loans into 4 rows; ours keeps 2."""
    tables = Tables(
        {"firm": 1, "loan": 2}, {"loan_firm_idx": numpy.array([0, 0]), "loan_amount_rub": numpy.array([1.0, 2.0])}
    )
    simulation = build_simulation(baseline(), tables)
    assert simulation.loan.count == 2
    assert simulation.calculate("loan_amount_rub", "2025-01-01").tolist() == [1.0, 2.0]


def test_bad_foreign_key_is_refused():
    tables = Tables({"firm": 1, "loan": 1}, {"loan_firm_idx": numpy.array([3])})
    with pytest.raises(ValueError, match="loan_firm_idx"):
        build_simulation(baseline(), tables)


def test_unset_year_is_unknown_not_zero():
    tables = Tables({"firm": 1}, {}, {"firm_payroll_rub": {2025: numpy.array([1e6])}})
    simulation = build_simulation(baseline(), tables, [2025, 2026])
    assert numpy.isnan(simulation.calculate("firm_payroll_rub", "2026")[0])


def test_empty_condition_defaults_to_unknown():
    """Check lists `unknown` first: a row nobody set never passes."""
    simulation = build_simulation(baseline(), Tables({"loan": 1}))
    assert simulation.calculate("loan_lender_authorised", "2025-01-01").decode_to_str().tolist() == ["unknown"]


def test_scenario_change_keeps_metadata_and_later_values():
    tbs = CountryTaxBenefitSystem()
    param = tbs.parameters.industrial_mortgage.floating.applies
    apply_change(
        param,
        Change("industrial_mortgage.floating.applies", False, date(2023, 1, 1), date(2023, 12, 31), source="тест"),
        "test",
    )
    values = {v.instant_str: v for v in param.values_list}
    assert values["2023-01-01"].value is False and values["2023-01-01"].metadata["source"] == "тест"
    assert values["2024-01-01"].value is False  # the value in force before, re-inserted after the end
    assert values["2024-01-01"].metadata["confidence"] == "secondary"
    assert values["2024-04-22"].value is True  # later dated value survives a bounded change


def test_dangling_id_names_the_field():
    with pytest.raises(ContractError) as error:
        evaluate(EvalInput.model_validate({"date": "2025-01-01", "loans": [_kip_loan(1e9)]}))
    assert error.value.errors[0]["loc"] == ["loans", 0, "firm"]


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="Регион"):
        EvalInput.model_validate({"date": "2025-01-01", "firms": [{"id": "f1", "region": "RU-XX"}]})


def test_region_codes_are_both_accepted():
    inp = EvalInput.model_validate(
        {"date": "2025-01-01", "firms": [{"id": "a", "region": "RU-KLU"}, {"id": "b", "region": "40"}]}
    )
    assert [f.region for f in inp.firms] == ["40", "40"]


def test_rules_never_import_django():
    import subprocess
    import sys

    code = (
        "import sys; import klaster.rules.contract as c, klaster.rules.explain; "
        "c.evaluate(c.EvalInput(date='2025-01-01')); assert 'django' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
