"""ПП № 41 per-project lines of an application: the cap is per applicant and year, so the answer
shows how each project's costs count and how the capped subsidy is shared between projects."""

import numpy

from klaster.rules.common import FAILED, PASSED, UNKNOWN, codes
from klaster.rules.variables.pp41_start_batch_subsidy import PURCHASE_CONDITIONS


def project_lines(runner, row: int, amount) -> list[dict]:
    c = runner.tables.columns
    app = c["purchase_application_idx"]
    mine = numpy.nonzero(app == row)[0]
    lines: dict[int, dict] = {}
    if len(mine):
        status = codes(runner.calc("pp41_start_batch_subsidy_purchase_eligible"))
        failed = {name: codes(runner.calc(f"pp41_start_batch_subsidy_{name}")) for name in PURCHASE_CONDITIONS}
        for p in mine:
            project = int(c["purchase_project_idx"][p])
            line = lines.setdefault(
                project,
                {
                    "project": runner.index.projects[project],
                    "eligible_costs_rub": 0.0,
                    "unknown_costs_rub": 0.0,
                    "excluded_costs_rub": 0.0,
                    "not_met": [],
                },
            )
            value = float(c["purchase_amount_rub"][p])
            key = {PASSED: "eligible_costs_rub", UNKNOWN: "unknown_costs_rub", FAILED: "excluded_costs_rub"}
            line[key[int(status[p])]] += value
            for name, codes_ in failed.items():
                if codes_[p] != PASSED and f"pp41_start_batch_subsidy_{name}" not in line["not_met"]:
                    line["not_met"].append(f"pp41_start_batch_subsidy_{name}")
    lead_rows = numpy.nonzero(c["project_application_idx"] == row)[0]
    if len(lead_rows) and runner.period < "2023-01-01":
        costs = runner.calc("pp41_start_batch_subsidy_joint_project_costs_rub")
        ok = codes(runner.calc("pp41_start_batch_subsidy_joint_project_eligible"))
        for project in lead_rows:
            if project in lines:
                continue
            value = costs[project]
            lines[int(project)] = {
                "project": runner.index.projects[project],
                "role": "lead",
                "joint_project_costs_rub": None if numpy.isnan(value) else float(value),
                "joint_project_status": {PASSED: "passed", FAILED: "failed"}.get(int(ok[project]), "unknown"),
            }
    total = sum(line.get("eligible_costs_rub", 0.0) for line in lines.values())
    granted = None if amount is None or numpy.isnan(amount[row]) else float(amount[row])
    for line in lines.values():
        if "eligible_costs_rub" in line:
            share = line["eligible_costs_rub"] / total if total else 0.0
            line["subsidy_rub"] = None if granted is None else round(granted * share, 2)
    return list(lines.values())
