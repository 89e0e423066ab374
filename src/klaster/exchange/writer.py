"""Writing a validated plan: sites, organisations and memberships, with history and the search index.

New records go in bulk (`exchange.bulk`), each with one history record naming the file; records that
change go through `simple_history`'s bulk update, so an import leaves the same trail as an edit by hand.
A new site gets its registry entry as a dated status event, and its current status, number and date
derived from that event, as `registry.services.site_status_change` derives them.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from klaster.core.access import require
from klaster.core.models import SourceKind
from klaster.exchange import bulk, indexes
from klaster.exchange.arrays import any_of
from klaster.registry import search
from klaster.registry import services as registry
from klaster.registry.choices import RegistryStatus
from klaster.registry.models import Membership, Organization, Region, SearchDocument, Site, SiteStatusEvent

ORG_FIELDS = ("full_name", "short_name", "ogrn", "region", "okved", "size")
ATTNAME = {name: Organization._meta.get_field(name).attname for name in ORG_FIELDS}  # region → region_id …
SITE_ATTRS = ("specialisation", "area_ha", "building_area_m2", "management_company_ownership")
MEMBER_FIELDS = ("role", "date_from", "producing")


def in_chunks(queryset, field: str, values: list, size: int = 20_000) -> list:
    """`queryset.filter(field__in=values)`: on PostgreSQL as one array parameter (`= ANY`), which costs no
    per-value work in Django; on SQLite in chunks, as it caps the parameters of one statement."""
    if connection.vendor == "postgresql":
        if not values:
            return []
        model = queryset.model
        column = f'"{model._meta.db_table}"."{model._meta.get_field(field).column}"'
        placeholder, param = any_of(values)
        return list(queryset.extra(where=[f"{column} = ANY({placeholder})"], params=[param]))
    out = []
    for start in range(0, len(values), size):
        out.extend(queryset.filter(**{f"{field}__in": values[start : start + size]}))
    return out


def _existing_sites(plan_sites: dict[tuple, dict]) -> dict[tuple, Site]:
    """The plan's sites already in the registry: by registry number, else by name (two queries)."""
    numbers = {(k[0], k[2]) for k in plan_sites if k[1] == "number"}
    names = {k[0] for k, f in plan_sites.items() if k[1] == "name" or f.get("site_name")}
    by_number, by_name = {}, {}
    if numbers:
        candidates = Site.objects.filter(kind__in={kind for kind, _ in numbers}).prefetch_related("regions")
        for site in in_chunks(candidates, "registry_number", sorted({number for _, number in numbers})):
            by_number[(site.kind, site.registry_number)] = site
    if names:
        # Names compared in Python: SQLite's lower() and iexact leave Cyrillic capitals alone.
        for site in Site.objects.filter(kind__in=names).prefetch_related("regions").order_by("pk"):
            by_name.setdefault((site.kind, site.name.lower()), site)
    found = {}
    for key, fields in plan_sites.items():
        site = by_number.get((key[0], key[2])) if key[1] == "number" else None
        if site is None and (key[1] == "name" or fields.get("site_name")):
            site = by_name.get((key[0], fields.get("site_name", key[2]).lower()))
        if site is not None:
            found[key] = site
    return found


def _new_site(key: tuple, fields: dict, source: str) -> Site:
    name = fields.get("site_name") or key[2]
    if not fields.get("site_region"):
        raise ValidationError({"regions": f"Площадка «{name}» (строка {fields['row']}): укажите регион"})
    site = Site(
        kind=fields["kind"],
        name=name,
        source_kind=SourceKind.FILE,
        source=source,
        **{k: fields[k] for k in SITE_ATTRS if k in fields},
    )
    if fields.get("entered_on") or fields.get("registry_number"):
        site.current_status = RegistryStatus.ENTERED
        site.current_status_on = fields.get("entered_on")
        site.registry_number = fields.get("registry_number", "")
    try:
        site.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(f"Площадка «{name}» (строка {fields['row']}): {'; '.join(exc.messages)}") from None
    return site


def _create_sites(new: dict[tuple, Site], plan_sites: dict, source: str, reason: str, user, history_user, now) -> None:
    """Sites, their regions, their entry events, and one history record each (regions included), in bulk:
    through Django's `bulk_create` a thousand sites took ~1 s."""
    if not new:
        return
    require(user, "add", Site)
    stamp = {"now": now, "reason": reason, "user": history_user}
    fields = [f.attname for f in Site._meta.concrete_fields if not (f.primary_key or bulk.stamped(f))]
    ids = bulk.insert(Site, [{k: getattr(site, k) for k in fields} for site in new.values()], now=now)
    for site, pk in zip(new.values(), ids, strict=True):
        site.pk = pk
    with bulk.history_meanwhile(Site, ids, **stamp):
        regions = [{"site_id": site.pk, "region_id": plan_sites[key]["site_region"]} for key, site in new.items()]
        events = [
            {
                "site_id": site.pk,
                "status": RegistryStatus.ENTERED,
                "on": plan_sites[key].get("entered_on"),
                "registry_number": plan_sites[key].get("registry_number", ""),
                "decree": plan_sites[key].get("decree", ""),
            }
            for key, site in new.items()
            if site.current_status
        ]
    bulk.insert(Site.regions.through, regions, now=now)
    bulk.copy_m2m_history(Site, ids, now)
    by = {
        "reason": reason,
        "source": source,
        "source_kind": SourceKind.FILE,
        "created_by_id": getattr(history_user, "pk", None),
    }
    bulk.history(SiteStatusEvent, bulk.insert(SiteStatusEvent, events, now=now, common=by), **stamp)


def _site_changes(site: Site, fields: dict) -> dict:
    """A known site's fields the file changes: its own, its name (when found by number) and its region."""
    changed = {k: fields[k] for k in SITE_ATTRS if k in fields and getattr(site, k) != fields[k]}
    if fields.get("site_name") and fields["site_name"] != site.name:
        changed["name"] = fields["site_name"]
    codes = [r.code for r in site.regions.all()]
    region = fields.get("site_region")
    if region and region not in codes:
        if len(codes) > 1:  # the file names one region: which of several it replaces is not for a guess
            raise ValidationError(
                f"Площадка «{site.name}» (строка {fields['row']}): регион {region} не из её регионов "
                f"({', '.join(codes)}); регионы площадки в нескольких субъектах меняют на её странице"
            )
        changed["regions"] = [region]
    return changed


def _entry_change(site: Site, fields: dict, source: str) -> partial | None:
    """How the file's entry into the registry (date, number, decree) reaches a known site — a correction of
    the event the export shows as the date of entry, or a new entry for a site without one — to be called
    with the user and reason; None if the file says what the registry says."""
    on, number, decree = fields.get("entered_on"), fields.get("registry_number"), fields.get("decree")
    entered = site.current_status in (RegistryStatus.ENTERED, RegistryStatus.RECONFIRMED)
    event = site.status_events.last() if entered else None  # the model's order (undated first): the current one
    if event is not None:  # compared as the export writes them: the number may be an earlier event's
        shown = {"on": site.current_status_on, "registry_number": site.registry_number, "decree": event.decree}
        fixes = {k: v for k, v in {"on": on, "registry_number": number, "decree": decree}.items() if v}
        fixes = {k: v for k, v in fixes.items() if v != shown[k]}
        return partial(registry.site_status_event_correct, event=event, **fixes) if fixes else None
    if on and site.status_events.filter(status=RegistryStatus.ENTERED, on=on).exists():
        return None  # entered then, and excluded since: the file's date is that entry's
    if not on and (not number or number == site.registry_number) and not (decree and not site.current_status):
        return None
    if not on and site.current_status:
        status = site.get_current_status_display().lower()
        raise ValidationError(
            f"Площадка «{site.name}» (строка {fields['row']}): статус в реестре «{status}» — номер или основание "
            "без даты включения файл не меняет; укажите дату включения или измените статус на странице площадки"
        )
    return partial(
        registry.site_status_change, site=site, status=RegistryStatus.ENTERED, on=on, registry_number=number or "",
        decree=decree or "", source=source, source_kind=SourceKind.FILE,
    )  # fmt: skip


def _sites(plan, source: str, reason: str, user, history_user, now, counts: dict) -> tuple[dict, list[int], dict]:
    """(every site of the plan by its key, ids of the sites updated, the sites created by key)."""
    existing = _existing_sites(plan.sites)
    new, touched = {}, []
    for key, fields in plan.sites.items():
        site = existing.get(key)
        if site is None:
            new[key] = _new_site(key, fields, source)
            continue
        changed = _site_changes(site, fields)
        entry = _entry_change(site, fields, source)
        if changed:
            registry.site_update(site=site, user=user, reason=reason, **changed)
        if entry is not None:
            entry(user=user, reason=reason)
        if changed or entry is not None:
            counts["sites_updated"] += 1
            touched.append(site.pk)
        else:
            counts["sites_unchanged"] += 1
    _create_sites(new, plan.sites, source, reason, user, history_user, now)
    counts["sites_created"] = len(new)
    return {**existing, **new}, touched, new


def _organizations(plan, source: str, reason: str, history_user, now, counts: dict) -> tuple[dict, list, list, list]:
    """Organisations by ИНН: new ones inserted in bulk (their history is the caller's to write), changed ones
    updated with history. Returns (ИНН → id for all of the plan, rows created, their ids, ids updated).

    The registry's values are compared as plain tuples; only the organisations that change are loaded as
    models (a hundred thousand model objects cost ~6 s, most of loading an unchanged file again)."""
    columns = tuple(ATTNAME.values())
    found = in_chunks(Organization.objects.values_list("inn", "pk", *columns), "inn", list(plan.orgs))
    existing = {row[0]: row for row in found}
    create, changes = [], {}
    for inn, fields in plan.orgs.items():
        values = {ATTNAME[k]: v for k, v in fields.items() if k != "row"}
        row = existing.get(inn)
        if row is None:
            create.append({"inn": inn, **values})
            continue
        current = dict(zip(columns, row[2:], strict=True))
        changed = {k: v for k, v in values.items() if current[k] != v}
        if changed:
            changes[row[1]] = changed
    ids = bulk.insert(Organization, create, now=now, common={"source_kind": SourceKind.FILE, "source": source})
    update = _loaded_with(Organization, changes)
    if update:
        bulk_update_with_history(
            update,
            Organization,
            list(ORG_FIELDS),
            batch_size=2000,
            default_user=history_user,
            default_change_reason=reason,
        )
    counts.update(
        organizations_created=len(create),
        organizations_updated=len(update),
        organizations_unchanged=len(plan.orgs) - len(create) - len(update),
    )
    by_inn = {inn: row[1] for inn, row in existing.items()}
    by_inn.update((row["inn"], pk) for row, pk in zip(create, ids, strict=True))
    return by_inn, create, ids, [o.pk for o in update]


def _documents(rows: list[dict], ids: list[int], places: dict[str, list[str]]) -> list[dict]:
    """Search documents of organisations just created: the same lemmas as `search.document_text` gives,
    with each region's lemmas (`places`) worked out once. No query: it runs while the database works."""
    docs = []
    for row, pk in zip(rows, ids, strict=True):
        full, short = row.get("full_name", ""), row.get("short_name", "")
        own = search.lemmas(search.organization_words(full, short))
        lemmas = " ".join(dict.fromkeys([*own, *places.get(row.get("region_id"), ())]))
        docs.append({"kind": "organization", "object_id": pk, "title": (short or full)[:500], "lemmas": lemmas})
    return docs


def _site_documents(new: dict[tuple, Site], plan_sites: dict, places: dict[str, list[str]]) -> list[dict]:
    """Search documents of sites just created, the same as `search.document_text` gives (one region each):
    re-indexing a thousand new sites through the ORM took ~0.4 s."""
    docs = []
    for key, site in new.items():
        own = search.lemmas(search.site_words(site))
        lemmas = " ".join(dict.fromkeys([*own, *places.get(plan_sites[key]["site_region"], ())]))
        docs.append({"kind": "site", "object_id": site.pk, "title": site.name[:500], "lemmas": lemmas})
    return docs


def _loaded_with(model, changes: dict[int, dict]) -> list:
    """The records whose ids are the keys of `changes`, loaded and given the new values."""
    records = in_chunks(model.objects.all(), model._meta.pk.name, list(changes)) if changes else []
    for record in records:
        for k, v in changes[record.pk].items():
            setattr(record, k, v)
    return records


def _existing_memberships(sites: dict) -> dict[tuple[int, int], dict]:
    """(organisation id, site id) → the membership's id and fields; the current membership where an
    organisation has also left the site before. By site: a file names a few hundred sites but may name a
    hundred thousand organisations."""
    site_ids = sorted({site.pk for site in sites.values()})
    columns = ("pk", "organization_id", "site_id", "date_to", *MEMBER_FIELDS)
    found = {}
    for row in in_chunks(Membership.objects.values_list(*columns), "site_id", site_ids):
        member = dict(zip(columns, row, strict=True))
        key = (member["organization_id"], member["site_id"])
        if key not in found or member["date_to"] is None:
            found[key] = member
    return found


def _membership_changes(plan, orgs: dict[str, int], sites: dict, existing: dict) -> tuple:
    """(rows to create, memberships changed — loaded with their new values, how many unchanged)."""
    new, changes = [], {}
    for (inn, key), fields in plan.members.items():
        org_id, site_id = orgs[inn], sites[key].pk
        values = {k: fields[k] for k in MEMBER_FIELDS if fields.get(k) is not None}
        member = existing.get((org_id, site_id))
        if member is None:
            row = {"organization_id": org_id, "site_id": site_id}
            row.update(values)
            new.append(row)
        elif any(member[k] != v for k, v in values.items()):
            changes[member["pk"]] = values
    changed = _loaded_with(Membership, changes)
    return new, changed, len(plan.members) - len(new) - len(changed)


ANALYZE_FROM = 10_000  # new records after which the planner's statistics are refreshed


def analyze_after(counts: dict[str, int]) -> None:
    """Fresh planner statistics for the tables a large import filled (run after it commits). Autovacuum would
    do it later, if it is on; until then PostgreSQL plans a profile's look-ups as scans of whole tables."""
    created = sum(v for k, v in counts.items() if k.endswith("_created"))
    if created < ANALYZE_FROM:
        return
    tables = [m._meta.db_table for m in (Organization, Membership, Site, SearchDocument)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f'ANALYZE "{table}"')


def write(plan, source: str, reason: str, user, *, dry_run: bool = False) -> dict[str, int]:
    """Write the plan (inside the caller's transaction); counts of created, updated and unchanged records.

    The order keeps both cores busy on PostgreSQL: while the server copies the new rows into their
    history tables, Python prepares the next batch (memberships, then the search documents)."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # constraints checked as each statement ends, not all at commit
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    counts = {
        f"{what}_{how}": 0
        for what in ("organizations", "sites", "memberships")
        for how in ("created", "updated", "unchanged")
    }
    history_user = user if getattr(user, "is_authenticated", False) else None
    stamp = {"now": now, "reason": reason, "user": history_user}
    # A first load builds the tables' plain indexes once; a dry run, rolled back anyway, keeps them readable.
    with indexes.deferring(enabled=not dry_run):
        sites, touched_sites, new_sites = _sites(plan, source, reason, user, history_user, now, counts)
        orgs, created, org_ids, updated = _organizations(plan, source, reason, history_user, now, counts)
        existing = _existing_memberships(sites)
        places = {r.code: search.lemmas(search.region_terms(r)) for r in Region.objects.all()}
        with bulk.history_meanwhile(Organization, org_ids, **stamp):
            new, changed, same = _membership_changes(plan, orgs, sites, existing)
        member_ids = bulk.insert(Membership, new, now=now, common={"source_kind": SourceKind.FILE, "source": source})
        if changed:
            bulk_update_with_history(
                changed,
                Membership,
                list(MEMBER_FIELDS),
                batch_size=2000,
                default_user=history_user,
                default_change_reason=reason,
            )
        counts.update(memberships_created=len(new), memberships_updated=len(changed), memberships_unchanged=same)
        # While Python lemmatises, the server copies the history, then builds the indexes set aside so far.
        built = indexes.statements(Organization, Membership)
        with bulk.history_meanwhile(Membership, member_ids, **stamp, then=built):
            docs = _documents(created, org_ids, places) + _site_documents(new_sites, plan.sites, places)
        bulk.append(SearchDocument, docs, now=now)
        # Only what changed is re-indexed: a file loaded again costs no lemmatisation.
        search.reindex(ids={"organization": updated, "site": touched_sites})
    return counts
