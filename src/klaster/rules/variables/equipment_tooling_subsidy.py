"""A proposed measure (State Duma expert council, 27.01.2026): a subsidy for equipment and tooling of
import-substitution projects led by participants of confirmed clusters. Not in force: the baseline has it
switched off and every value is a labelled assumption; a scenario switches it on.

The unit is the application (the lead firm and the year), as for ПП № 41, whose cluster checks it reuses."""

import numpy
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

from klaster.rules.common import (
    FAILED,
    NAN,
    PASSED,
    UNKNOWN,
    all_of,
    any_by,
    checks,
    codes,
    count_by,
    gate,
    link,
    node,
)
from klaster.rules.entities import Application, Project
from klaster.rules.variables.bases import DayCheck

P = "equipment_tooling_subsidy"
PROPOSAL = "Предложение экспертного совета Госдумы по промышленной инфраструктуре, 27.01.2026 (акта нет)"


class equipment_tooling_subsidy_in_force(DayCheck):
    entity = Application
    label = "Мера действует на дату (в действующем праве её нет; включается сценарием)"
    reference = [PROPOSAL]

    def formula(application, period, parameters):
        on = bool(node(parameters, period, P).in_force)
        return checks(numpy.full(application.count, PASSED if on else FAILED, dtype=numpy.int16))


class equipment_tooling_subsidy_applicant_participant(DayCheck):
    entity = Application
    label = "Заявитель — участник промышленного кластера, подтверждённого по ПП № 779"
    reference = [PROPOSAL]

    def formula(application, period, parameters):
        return checks(link(application, "application_firm_idx", "firm", "firm_in_confirmed_cluster", period, UNKNOWN))


class equipment_tooling_subsidy_project_qualifies(DayCheck):
    entity = Project
    label = "Проект импортозамещения с затратами на оборудование или оснастку"

    def formula(project, period, parameters):
        costs = project("project_costs_equipment_rub", period) + project("project_costs_tooling_rub", period)
        has_costs = numpy.where(numpy.isnan(costs), UNKNOWN, numpy.where(costs > 0, PASSED, FAILED))
        return all_of(project("project_import_substitution", period), has_costs)


class equipment_tooling_subsidy_has_project(DayCheck):
    entity = Application
    label = "Заявитель ведёт проект импортозамещения с затратами на оборудование или оснастку"
    reference = [PROPOSAL]

    def formula(application, period, parameters):
        status = application.simulation.project(f"{P}_project_qualifies", period)
        return any_by(application, "project", "project_application_idx", period, status)


CONDITIONS = ("in_force", "applicant_participant", "has_project")


class equipment_tooling_subsidy_eligible(DayCheck):
    entity = Application
    label = "Право на субсидию на оборудование и оснастку (предложение)"
    reference = [PROPOSAL]

    def formula(application, period, parameters):
        return all_of(*(application(f"{P}_{name}", period) for name in CONDITIONS))


class equipment_tooling_subsidy_amount(Variable):
    value_type = float
    entity = Application
    definition_period = DAY
    unit = "currency-RUB"
    label = "Субсидия на оборудование и оснастку (предложение), ₽"
    reference = [PROPOSAL]

    def formula(application, period, parameters):
        """min(share × equipment and tooling costs of the applicant's qualifying projects, cap)."""
        p = node(parameters, period, P)
        project = application.simulation.project
        ok = codes(project(f"{P}_project_qualifies", period)) == PASSED
        costs = project("project_costs_equipment_rub", period) + project("project_costs_tooling_rub", period)
        total = count_by(application, "project", "project_application_idx", period, numpy.where(ok, costs, 0.0))
        share = NAN if p.share_max is None else p.share_max
        cap = NAN if p.cap_per_applicant is None else p.cap_per_applicant
        return gate(application(f"{P}_eligible", period), numpy.minimum(share * total, cap))
