"""Services of joint projects: the project, its participants, cost lines and start-batch purchases."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from klaster.registry.choices import SiteKind
from klaster.registry.models import (
    JointProject,
    Organization,
    ProjectCost,
    ProjectParticipant,
    StartBatchPurchase,
)
from klaster.registry.services.base import assign, save_record


@transaction.atomic
def project_create(
    *, user, participants: Iterable[tuple[Organization, str]] = (), reason: str = "", **fields: Any
) -> JointProject:
    project = JointProject()
    assign(project, fields)
    if project.site_id and project.site.kind != SiteKind.INDUSTRIAL_CLUSTER:
        raise ValidationError({"site": "Кластер: совместный проект ведётся в промышленном кластере"})
    save_record(project, user=user, action="add", reason=reason)
    for organization, role in participants:
        project_participant_add(project=project, organization=organization, role=role, user=user)
    return project


@transaction.atomic
def project_update(*, project: JointProject, user, reason: str = "", **fields: Any) -> JointProject:
    assign(project, fields)
    return save_record(project, user=user, action="change", reason=reason)


@transaction.atomic
def project_participant_add(
    *, project: JointProject, organization: Organization, role: str, user
) -> ProjectParticipant:
    row = ProjectParticipant(
        project=project, organization=organization, role=role, source_kind=project.source_kind, source=project.source
    )
    return save_record(row, user=user, action="add", reason=f"Участник проекта «{project}»")


@transaction.atomic
def project_cost_add(*, project: JointProject, user, **fields: Any) -> ProjectCost:
    row = ProjectCost(project=project, source_kind=project.source_kind, source=project.source)
    assign(row, fields)
    return save_record(row, user=user, action="add", reason=f"Затраты проекта «{project}»")


@transaction.atomic
def start_batch_purchase_add(*, project: JointProject, user, **fields: Any) -> StartBatchPurchase:
    row = StartBatchPurchase(project=project, source_kind=project.source_kind, source=project.source)
    assign(row, fields)
    return save_record(row, user=user, action="add", reason=f"Закупка стартовой партии по проекту «{project}»")
