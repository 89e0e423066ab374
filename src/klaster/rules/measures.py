"""The eight measures as the explanation, the docs and the kernel see them: which entity, which
condition variables (in order), eligibility, amount, yearly flow, the parameters each answer cites
and the assumptions it always rests on."""

from dataclasses import dataclass

from klaster.rules.variables import (
    cluster_insurance_premiums,
    cluster_investment_platform,
    cluster_registry_requirements,
    electronics_technopark_subsidy,
    equipment_tooling_subsidy,
    industrial_mortgage,
    p1119_infrastructure_reimbursement,
    park_registry_requirements,
    pp41_start_batch_subsidy,
)

REPAYMENT = (
    "Погашение основного долга равными долями раз в год в годовщину договора; ставки — на начало каждого года кредита"
)
RATIONING = "Без учёта лимита бюджетных ассигнований: правило распределения при нехватке средств не установлено"


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    entity: str  # the OpenFisca entity assessed
    output_entity: str  # "firm", "loan" or "site" in the answer
    conditions: tuple[str, ...]
    parameters: tuple[str, ...]
    assumptions: tuple[str, ...] = ()
    has_amount: bool = True
    flow: str | None = None  # YEAR variable of yearly flows (by_year)
    kinds: tuple[str, ...] = ()  # site kinds a site result is given for
    programme: str | None = None  # loan programme a loan result is given for
    late_conditions: tuple[str, ...] = ()  # conditions shown only from `late_from`
    late_from: str = ""
    proposal: bool = False  # not in force today: answered only where a scenario switches it on

    def conditions_on(self, day: str) -> tuple[str, ...]:
        """The conditions of the regime in force on `day` (ISO date)."""
        if self.late_conditions and day < self.late_from:
            return tuple(c for c in self.conditions if c not in self.late_conditions)
        return self.conditions

    @property
    def eligible(self) -> str:
        return f"{self.id}_eligible"

    @property
    def amount(self) -> str | None:
        return f"{self.id}_amount" if self.has_amount else None


def _names(measure_id: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{measure_id}_{code}" for code in codes)


PP41 = "pp41_start_batch_subsidy"
MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure(
            PP41,
            "Субсидия участникам кластеров на стартовые партии (ПП № 41)",
            "application",
            "firm",
            _names(PP41, pp41_start_batch_subsidy.APPLICATION_CONDITIONS)
            + _names(PP41, pp41_start_batch_subsidy.PURCHASE_CONDITIONS),
            (
                f"{PP41}.share_max",
                f"{PP41}.cap_per_applicant",
                f"{PP41}.cap_basis",
                f"{PP41}.costs_not_before",
                f"{PP41}.joint_project.share_max",
                f"{PP41}.new_products.share_max",
            ),
            (RATIONING,),
            late_conditions=_names(PP41, pp41_start_batch_subsidy.PURCHASE_CONDITIONS),
            late_from="2023-01-01",
        ),
        Measure(
            "industrial_mortgage",
            "Промышленная ипотека (ПП № 1570)",
            "loan",
            "loan",
            _names("industrial_mortgage", industrial_mortgage.CONDITIONS),
            (
                "industrial_mortgage.loan_max",
                "industrial_mortgage.term_max_years",
                "industrial_mortgage.revenue_max.other",
                "industrial_mortgage.revenue_max.small_technological",
                "industrial_mortgage.rate_base.technological",
                "industrial_mortgage.rate_base.other",
                "industrial_mortgage.floating.key_rate_threshold",
                "industrial_mortgage.cost_norm.build",
                "industrial_mortgage.cost_norm.buy_capital",
                "industrial_mortgage.cost_norm.buy_other",
                "general.key_rate",
                "general.market_rate_margin",
            ),
            (REPAYMENT,),
            flow="industrial_mortgage_interest_saved_in_year",
            programme="industrial_mortgage",
        ),
        Measure(
            "cluster_investment_platform",
            "Кластерная инвестиционная платформа (ПП № 295)",
            "loan",
            "loan",
            _names("cluster_investment_platform", cluster_investment_platform.CONDITIONS),
            (
                "cluster_investment_platform.min_loan",
                "cluster_investment_platform.max_loan",
                "cluster_investment_platform.loan_share_of_project_max",
                "cluster_investment_platform.rate_key_multiplier",
                "cluster_investment_platform.rate_add",
                "cluster_investment_platform.concessional_extra_years",
                "cluster_investment_platform.max_term_years",
                "general.key_rate",
                "general.market_rate_margin",
            ),
            (REPAYMENT, "Кредит, учтённый как кредит КИП, прошёл экспертизу ФРП и решение МВК"),
            flow="cluster_investment_platform_interest_saved_in_year",
            programme="cluster_investment_platform",
        ),
        Measure(
            "cluster_insurance_premiums",
            "Пониженные страховые взносы участников кластеров — сторон СПИК",
            "firm",
            "firm",
            _names("cluster_insurance_premiums", cluster_insurance_premiums.CONDITIONS),
            (
                "cluster_insurance_premiums.rate_within_base",
                "cluster_insurance_premiums.rate_above_base",
                "cluster_insurance_premiums.max_years",
                "cluster_insurance_premiums.eligible_spic_versions",
                "general.insurance_premiums.rate_within_base",
                "general.insurance_premiums.rate_above_base",
                "general.insurance_premiums.base_limit",
            ),
            (
                "Фонд оплаты труда распределён поровну между работниками (по численности) и равномерно по месяцам",
                "Сравнение с общими тарифами 30 % / 15,1 %; тарифы МСП не учитываются",
                "Право оценивается на дату расчёта и распространяется на каждый год периода льготы",
            ),
            flow="cluster_insurance_premiums_saving_in_year",
        ),
        Measure(
            "equipment_tooling_subsidy",
            "Субсидия на оборудование и оснастку (предложение 2026 г.)",
            "application",
            "firm",
            _names("equipment_tooling_subsidy", equipment_tooling_subsidy.CONDITIONS),
            (
                "equipment_tooling_subsidy.in_force",
                "equipment_tooling_subsidy.share_max",
                "equipment_tooling_subsidy.cap_per_applicant",
            ),
            (
                "Новая мера из предложения: в действующем праве её нет, все значения — допущения Klaster",
                "Затраты на оборудование и оснастку — года расчёта, по проектам, которые ведёт заявитель",
            ),
            proposal=True,
        ),
        Measure(
            "p1119_infrastructure_reimbursement",
            "Возмещение затрат на инфраструктуру парков и технопарков (ПП № 1119)",
            "site",
            "site",
            _names("p1119_infrastructure_reimbursement", p1119_infrastructure_reimbursement.CONDITIONS),
            (
                "p1119_infrastructure_reimbursement.share.private",
                "p1119_infrastructure_reimbursement.share.state",
                "p1119_infrastructure_reimbursement.share.public_private",
                "p1119_infrastructure_reimbursement.norm_per_ha_park",
                "p1119_infrastructure_reimbursement.norm_per_m2_technopark",
                "p1119_infrastructure_reimbursement.claim_deadline_years.park",
                "p1119_infrastructure_reimbursement.claim_deadline_years.technopark",
                "p1119_infrastructure_reimbursement.residents_taxes_bound",
            ),
            kinds=("industrial_park", "industrial_technopark", "hightech_technopark"),
        ),
        Measure(
            "electronics_technopark_subsidy",
            "Субсидия на технопарки электронной промышленности",
            "site",
            "site",
            _names("electronics_technopark_subsidy", electronics_technopark_subsidy.CONDITIONS),
            (
                "electronics_technopark_subsidy.funded",
                "electronics_technopark_subsidy.cap_per_region_per_year",
                "electronics_technopark_subsidy.programme_years",
                "electronics_technopark_subsidy.share_max",
                "electronics_technopark_subsidy.min_building_area_m2",
                "electronics_technopark_subsidy.min_electronics_companies",
            ),
            ("Предел 300 млн ₽ на регион в год применён к площадке (другие технопарки региона не учтены)",),
            kinds=("industrial_technopark", "hightech_technopark"),
        ),
        Measure(
            "cluster_registry_requirements",
            "Требования к промышленному кластеру (ПП № 779)",
            "site",
            "site",
            _names("cluster_registry_requirements", cluster_registry_requirements.CONDITIONS),
            (
                "cluster_registry_requirements.functional_dependence_min",
                "cluster_registry_requirements.functional_dependence_min_special",
                "cluster_registry_requirements.special_territory_share_threshold",
                "cluster_registry_requirements.max_not_yet_producing",
                "cluster_registry_requirements.participants_min",
            ),
            has_amount=False,
            kinds=("industrial_cluster",),
        ),
        Measure(
            "park_registry_requirements",
            "Требования к индустриальному парку и технопарку (ПП № 794, № 1863)",
            "site",
            "site",
            _names("park_registry_requirements", park_registry_requirements.CONDITIONS),
            (
                "park_registry_requirements.park_min_area_ha",
                "park_registry_requirements.park_min_residents",
                "park_registry_requirements.technopark_min_building_area_m2",
            ),
            has_amount=False,
            kinds=("industrial_park", "industrial_technopark"),
        ),
    )
}
