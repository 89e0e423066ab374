"""Services of sites: creation, edits, the dated registry status history, memberships."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from klaster.core import access
from klaster.registry.choices import RegistryStatus
from klaster.registry.lookups import region_code
from klaster.registry.models import Membership, Okved, Organization, Region, Site, SiteStatusEvent
from klaster.registry.services.base import assign, save_record


def _regions(values: Iterable[Region | str]) -> list[str]:
    codes = [v.code if isinstance(v, Region) else region_code(v, field="regions") for v in values]
    if not codes:
        raise ValidationError({"regions": "Регионы: укажите хотя бы один субъект РФ"})
    return list(dict.fromkeys(codes))


def _okved_codes(values: Iterable[Okved | str]) -> list[str]:
    codes = [v.code if isinstance(v, Okved) else str(v).strip() for v in values]
    known = set(Okved.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError({"specialisation_okved": f"ОКВЭД2: нет кода {', '.join(unknown)} в классификаторе"})
    return codes


@transaction.atomic
def site_create(
    *,
    user,
    regions: Iterable[Region | str],
    specialisation_okved: Iterable[Okved | str] = (),
    reason: str = "",
    **fields: Any,
) -> Site:
    site = Site()
    assign(site, fields)
    region_codes = _regions(regions)
    okved_codes = _okved_codes(specialisation_okved)
    save_record(site, user=user, action="add", reason=reason)
    site.regions.set(region_codes)
    site.specialisation_okved.set(okved_codes)
    return site


@transaction.atomic
def site_update(
    *,
    site: Site,
    user,
    regions: Iterable[Region | str] | None = None,
    specialisation_okved: Iterable[Okved | str] | None = None,
    reason: str = "",
    **fields: Any,
) -> Site:
    assign(site, fields)
    region_codes = _regions(regions) if regions is not None else None
    okved_codes = _okved_codes(specialisation_okved) if specialisation_okved is not None else None
    save_record(site, user=user, action="change", reason=reason)
    if region_codes is not None:
        site.regions.set(region_codes)
    if okved_codes is not None:
        site.specialisation_okved.set(okved_codes)
    return site


def _derive_current(site: Site) -> tuple[str, date | None, str]:
    """The latest event by date is the current status; events may be entered out of order.
    An undated event (the source gave no date) counts as older than every dated one."""
    events = list(site.status_events.order_by(F("on").asc(nulls_first=True), "id"))
    if not events:
        return "", None, ""
    last = events[-1]
    number = next((e.registry_number for e in reversed(events) if e.registry_number), "")
    return last.status, last.on, number


@transaction.atomic
def site_status_change(
    *,
    site: Site,
    status: str,
    on: date | None,
    user,
    registry_number: str = "",
    decree: str = "",
    reason: str = "",
    source: str = "",
    source_kind: str | None = None,
) -> SiteStatusEvent:
    """A new dated event, never an overwrite: counts by year (41 clusters in 2018, 61 in 2024)
    come from these events, and an exclusion has to keep its reason."""
    access.require(user, "change", site)
    event = SiteStatusEvent(
        site=site,
        status=status,
        on=on,
        registry_number=registry_number,
        decree=decree,
        reason=reason,
        source=source or site.source,
        source_kind=source_kind or site.source_kind,
        created_by=user,
    )
    save_record(event, user=user, action="add", reason=reason)
    _refresh_current(site, event, user, "Статус в реестре", reason)
    return event


@transaction.atomic
def site_status_event_correct(*, event: SiteStatusEvent, user, reason: str, **fields: Any) -> SiteStatusEvent:
    """Correct a recorded event (`on`, `registry_number`, `decree`): a date or number entered wrong, not a
    new change of status — that is `site_status_change`. The event's history keeps the old values."""
    unknown = set(fields) - {"on", "registry_number", "decree"}
    if unknown:
        raise ValueError(f"not correctable: {', '.join(sorted(unknown))}")
    site = event.site
    access.require(user, "change", site)
    for name, value in fields.items():  # not `assign`: an event's number is its own, not derived
        setattr(event, name, value)
    save_record(event, user=user, action="change", reason=reason)
    _refresh_current(site, event, user, "Исправлено событие реестра", reason)
    return event


def _refresh_current(site: Site, event: SiteStatusEvent, user, what: str, reason: str) -> None:
    """The site's current status, date and number derived again from its events, with a history record
    saying which event and why (an import's reason names its file)."""
    status_now, on_now, number = _derive_current(site)
    if number and Site.objects.filter(kind=site.kind, registry_number=number).exclude(pk=site.pk).exists():
        raise ValidationError({"registry_number": "Номер в реестре: уже присвоен другой площадке этого вида"})
    site.current_status, site.current_status_on, site.registry_number = status_now, on_now, number
    when = f"с {event.on:%d.%m.%Y}" if event.on else "(дата не опубликована)"
    site._change_reason = f"{what}: {RegistryStatus(event.status).label} {when}" + (f". {reason}" if reason else "")
    if user is not None:
        site._history_user = user
    site.save(update_fields=["current_status", "current_status_on", "registry_number", "updated"])


@transaction.atomic
def membership_create(*, organization: Organization, site: Site, user, reason: str = "", **fields: Any) -> Membership:
    membership = Membership(organization=organization, site=site)
    fields.setdefault("source_kind", site.source_kind)
    assign(membership, fields)
    return save_record(membership, user=user, action="add", reason=reason or f"Вступление в «{site}»")


@transaction.atomic
def membership_update(*, membership: Membership, user, reason: str = "", **fields: Any) -> Membership:
    assign(membership, fields)
    return save_record(membership, user=user, action="change", reason=reason)


@transaction.atomic
def membership_end(*, membership: Membership, on: date, user, reason: str) -> Membership:
    """Leaving is a dated event with a reason: the row stays, so past membership counts still hold."""
    if not reason.strip():
        raise ValidationError({"reason": "Причина: укажите, почему организация выходит"})
    membership.date_to = on
    return save_record(membership, user=user, action="change", reason=f"Выход: {reason}")
