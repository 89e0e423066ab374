"""The rules' answers for a registered organisation or site, shaped for a profile page.

The profile pages call this; the amounts, conditions and clauses come from the rules engine unchanged.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from pydantic import ValidationError

from klaster.registry.contract import organization_input, site_input
from klaster.rules.contract import ContractError, EvalInput, ResultOut, evaluate
from klaster.rules.version import rules_version

MEASURE_TITLES = {
    "pp41_start_batch_subsidy": "Субсидия на стартовые партии (ПП № 41)",
    "industrial_mortgage": "Промышленная ипотека (ПП № 1570)",
    "cluster_investment_platform": "Кластерная инвестиционная платформа (ПП № 295)",
    "cluster_insurance_premiums": "Пониженные страховые взносы участника кластера со СПИК",
    "p1119_infrastructure_reimbursement": "Возмещение затрат на инфраструктуру (ПП № 1119)",
    "electronics_technopark_subsidy": "Субсидия технопарку электроники",
    "equipment_tooling_subsidy": "Субсидия на оборудование и оснастку (предложение 2026 г.)",
    "cluster_registry_requirements": "Требования к промышленному кластеру (ПП № 779)",
    "park_registry_requirements": "Требования к парку / технопарку (ПП № 794, № 1863)",
}
REGISTRY_MEASURES = ("cluster_registry_requirements", "park_registry_requirements")
CACHE_SECONDS = 24 * 3600
RULES_DIR = Path(evaluate.__code__.co_filename).parent


@dataclass
class Answer:
    title: str
    result: ResultOut


@dataclass
class Navigator:
    answers: list[Answer]
    rules_version: str
    error: str = ""


@lru_cache(maxsize=1)
def _code_version() -> str:
    """The rules package's whole code (evaluation, explanations, contract), beside the rules' version: a
    cached answer from older code is not reused."""
    digest = hashlib.sha256()
    for path in sorted(RULES_DIR.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _evaluate(data: dict):
    """The rules' output for one input, remembered by the input's content (and the rules' version): a
    profile page computes its answers once per version of the records behind it, whichever worker asks."""
    key = (
        "navigator:"
        + hashlib.sha256(
            json.dumps(
                [rules_version(), _code_version(), data], sort_keys=True, default=str, ensure_ascii=False
            ).encode()
        ).hexdigest()
    )
    output = cache.get(key)
    if output is None:
        output = evaluate(EvalInput.model_validate(data))
        cache.set(key, output, CACHE_SECONDS)
    return output


def _run(data: dict, keep) -> Navigator:
    try:
        output = _evaluate(data)
    except (ContractError, ValidationError) as exc:
        return Navigator([], "", f"Расчёт по правилам невозможен: {exc}")
    answers = [Answer(MEASURE_TITLES.get(r.measure, r.measure), r) for r in output.results if keep(r)]
    return Navigator(answers, output.rules_version)


def for_organization(org, on: date | None = None) -> Navigator:
    """Every measure paid to this organisation (its own lines and its loans), as of `on`."""
    firm_id = f"f{org.pk}"
    return _run(
        organization_input(org, on or date.today()),
        lambda r: r.applicant == firm_id and r.measure not in REGISTRY_MEASURES,
    )


SITE_MEASURES = (
    "cluster_registry_requirements",
    "park_registry_requirements",
    "p1119_infrastructure_reimbursement",
    "electronics_technopark_subsidy",
)


def for_site(site, on: date | None = None) -> Navigator:
    """The registry requirements (and site measures) of this site, with all its members. Only the site's
    own measures are computed: the members' measures belong to their own pages."""
    data = {**site_input(site, on or date.today()), "measures": list(SITE_MEASURES)}
    return _run(data, lambda r: r.entity == "site" and r.id == f"s{site.pk}")
