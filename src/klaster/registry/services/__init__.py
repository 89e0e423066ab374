"""Writes to the registry: validate, save in one transaction, leave history with a reason."""

from klaster.registry.services.organizations import (
    organization_create,
    organization_update,
    organization_year_set,
)
from klaster.registry.services.projects import (
    project_cost_add,
    project_create,
    project_participant_add,
    project_update,
    start_batch_purchase_add,
)
from klaster.registry.services.records import (
    indicator_set,
    loan_create,
    reported_figure_create,
)
from klaster.registry.services.sites import (
    membership_create,
    membership_end,
    membership_update,
    site_create,
    site_status_change,
    site_status_event_correct,
    site_update,
)

__all__ = [
    "indicator_set",
    "loan_create",
    "membership_create",
    "membership_end",
    "membership_update",
    "organization_create",
    "organization_update",
    "organization_year_set",
    "project_cost_add",
    "project_create",
    "project_participant_add",
    "project_update",
    "reported_figure_create",
    "site_create",
    "site_status_change",
    "site_status_event_correct",
    "site_update",
    "start_batch_purchase_add",
]
