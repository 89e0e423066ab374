"""A known site's entry into the registry as a file gives it (date of entry, registry number, decree): nothing
to do, a correction of the events it was recorded with, a new entry — or a refusal when applying it would take
a guess.

The export writes a site in the registry (entered or re-confirmed) with the date of its latest entry event and
its registry number, so the same values read back change nothing. A different date corrects that entry event,
as long as it stays between the site's events around it (moving it past an exclusion would silently change
the site's status); a different number corrects the event the number comes from. A site not in the registry
gets a new dated entry, unless an entry of that date is recorded already.
"""

from collections.abc import Callable
from functools import partial

from klaster.core.models import SourceKind
from klaster.exchange.rows import LABELS
from klaster.registry import services as registry
from klaster.registry.choices import RegistryStatus
from klaster.registry.models import Site, SiteStatusEvent

IN_REGISTRY = (RegistryStatus.ENTERED, RegistryStatus.RECONFIRMED)
Change = Callable[..., object]  # called with user= and reason=


class Refused(ValueError):
    """A file's value for a known site that the import does not apply (it would have to guess): the row's error,
    found while the file is checked, before anything is written."""

    def __init__(self, field: str, value, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = LABELS[field], str(value), reason


def entry_event(site: Site) -> SiteStatusEvent | None:
    """The latest entry event of a site in the registry (prefetched events, in the model's order): the one whose
    date the export shows as the date of entry."""
    if site.current_status not in IN_REGISTRY:
        return None
    return next((e for e in reversed(site.status_events.all()) if e.status == RegistryStatus.ENTERED), None)


def entry_change(site: Site, fields: dict, source: str) -> Change | None:
    on, number, decree = fields.get("entered_on"), fields.get("registry_number"), fields.get("decree")
    events = list(site.status_events.all())
    entry = entry_event(site)
    if entry is not None:
        return _correction(site, events, entry, on, number, decree)
    if on and any(e.status == RegistryStatus.ENTERED and e.on == on for e in events):
        return None  # entered then, and excluded since: the file's date is that entry's
    if not on:
        new_number = number and number != site.registry_number
        new_decree = decree and decree not in {e.decree for e in events}
        if not (new_number or new_decree):
            return None
        if site.current_status:
            status = site.get_current_status_display().lower()
            raise Refused(
                "registry_number" if new_number else "decree", number if new_number else decree,
                f"у площадки «{site.name}» статус «{status}»: номер или основание без даты включения в реестр файл не "
                "меняет — укажите дату включения или измените статус на странице площадки",
            )  # fmt: skip
    return partial(
        registry.site_status_change, site=site, status=RegistryStatus.ENTERED, on=on, registry_number=number or "",
        decree=decree or "", source=source, source_kind=SourceKind.FILE,
    )  # fmt: skip


def _correction(site: Site, events: list, entry: SiteStatusEvent, on, number, decree) -> Change | None:
    fixes: dict[SiteStatusEvent, dict] = {}
    entries = {e.on for e in events if e.status == RegistryStatus.ENTERED}
    if on and on not in entries:  # an earlier entry's date is that entry's, not a correction
        at = events.index(entry)
        before = next((e.on for e in reversed(events[:at]) if e.on), None)
        after = next((e.on for e in events[at + 1 :] if e.on), None)
        if (before and on < before) or (after and on > after):
            around = ", ".join(f"{e.get_status_display().lower()} {e.on:%d.%m.%Y}" for e in events if e.on)
            raise Refused(
                "entered_on", f"{on:%d.%m.%Y}", f"дата включения площадки «{site.name}» ушла бы за другие её события "
                f"({around}) и изменила бы её статус: исправьте события на странице площадки",
            )  # fmt: skip
        fixes[entry] = {"on": on}
    if decree and decree != entry.decree:
        fixes.setdefault(entry, {})["decree"] = decree
    if number and number != site.registry_number:
        holder = next((e for e in reversed(events) if e.registry_number), entry)  # where the number comes from
        fixes.setdefault(holder, {})["registry_number"] = number
    if not fixes:
        return None

    def apply(*, user, reason: str) -> None:
        for event, values in fixes.items():
            registry.site_status_event_correct(event=event, user=user, reason=reason, **values)

    return apply
