"""100 000 firms in one call: the batch equals one-by-one runs on a random sample, and the
independent NumPy kernel gives the same answers as the rules."""

import numpy
import pytest

from klaster.rules.builder import build_simulation
from klaster.rules.kernel import Kernel
from klaster.rules.system import baseline
from klaster.rules.testing import DATE, population, subset

ON = DATE.isoformat()
FIRM_MEASURES = ("pp41_start_batch_subsidy", "cluster_insurance_premiums")
LOAN_MEASURES = ("industrial_mortgage", "cluster_investment_platform")


@pytest.fixture(scope="module")
def batch():
    tables = population(100_000, seed=11)
    simulation = build_simulation(baseline(), tables, [DATE.year])
    answers = {}
    for measure in (*FIRM_MEASURES, *LOAN_MEASURES):
        answers[measure] = (
            numpy.asarray(simulation.calculate(f"{measure}_eligible", ON)),
            simulation.calculate(f"{measure}_amount", ON),
        )
    return tables, answers


def _same(a, b) -> bool:
    return numpy.array_equal(
        numpy.asarray(a, dtype=numpy.float64), numpy.asarray(b, dtype=numpy.float64), equal_nan=True
    )


def test_batch_equals_one_by_one_on_a_sample(batch):
    tables, answers = batch
    rng = numpy.random.default_rng(3)
    # Firms that buy start batches, borrow or hold a SPIC: the sample must exercise every measure.
    buyers = numpy.unique(tables.columns["purchase_buyer_idx"])
    borrowers = numpy.unique(tables.columns["loan_firm_idx"])
    sample = numpy.unique(
        numpy.concatenate(
            [
                rng.choice(buyers, 15, replace=False),
                rng.choice(borrowers, 15, replace=False),
                rng.choice(tables.counts["firm"], 10, replace=False),
            ]
        )
    )
    checked = 0
    for firm in sample:
        small, kept = subset(tables, numpy.array([firm]))
        simulation = build_simulation(baseline(), small, [DATE.year])
        rows = {"application": kept["application"], "firm": kept["firm"], "loan": kept["loan"]}
        for measure, entity in (
            ("pp41_start_batch_subsidy", "application"),
            ("cluster_insurance_premiums", "firm"),
            ("industrial_mortgage", "loan"),
            ("cluster_investment_platform", "loan"),
        ):
            eligible = numpy.asarray(simulation.calculate(f"{measure}_eligible", ON))
            amount = simulation.calculate(f"{measure}_amount", ON)
            big_e, big_a = answers[measure]
            assert _same(eligible, big_e[rows[entity]]), (measure, firm)
            assert _same(amount, big_a[rows[entity]]), (measure, firm)
            checked += len(rows[entity])
    assert checked > 50


def test_kernel_equals_rules(batch):
    tables, answers = batch
    kernel = Kernel(baseline().parameters, tables, DATE).run()
    for measure, (eligible, amount) in kernel.items():
        rules_e, rules_a = answers[measure]
        assert numpy.array_equal(rules_e, eligible), measure
        assert _same(numpy.round(rules_a, 2), numpy.round(amount, 2)), measure
