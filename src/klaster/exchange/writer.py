"""Writing a validated plan: organisations, sites (`exchange.sites`) and memberships, with history and the
search index.

New records go in bulk (`exchange.bulk`), each with one history record naming the file; records that
change go through `simple_history`'s bulk update, so an import leaves the same trail as an edit by hand.
"""

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from klaster.core.models import SourceKind
from klaster.exchange import bulk, indexes
from klaster.exchange import sites as sites_of_plan
from klaster.exchange.arrays import in_chunks
from klaster.registry import search
from klaster.registry.models import Membership, Organization, Region, SearchDocument, Site

ORG_FIELDS = ("full_name", "short_name", "ogrn", "region", "okved", "size")
ATTNAME = {name: Organization._meta.get_field(name).attname for name in ORG_FIELDS}  # region → region_id …
MEMBER_FIELDS = ("role", "date_from", "producing")


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
        orgs, created, org_ids, updated = _organizations(plan, source, reason, history_user, now, counts)
        managers = sites_of_plan.managers(plan.sites, orgs)
        sites, touched_sites, new_sites = sites_of_plan.write(
            plan, managers, source, reason, user, history_user, now, counts
        )
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
            docs = _documents(created, org_ids, places) + sites_of_plan.documents(new_sites, plan.sites, places)
        bulk.append(SearchDocument, docs, now=now)
        # Only what changed is re-indexed: a file loaded again costs no lemmatisation.
        search.reindex(ids={"organization": updated, "site": touched_sites})
    return counts
