"""Aggregates for the dashboard, the map and region pages: counts computed from the records themselves.

Counts by year come from the dated status events, never from the current status alone, so the registry's
size on any past date can be rebuilt (41 clusters in 2018, 61 in May 2024).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet

from klaster.core.models import SourceKind
from klaster.registry.choices import IN_REGISTRY, FederalDistrict, SiteKind
from klaster.registry.models import (
    JointProject,
    Membership,
    Okved,
    Organization,
    Region,
    ReportedFigure,
    Site,
    SiteStatusEvent,
)

MEMBER_ROLES = ("anchor", "participant", "resident")


def _sites(source: str | None) -> QuerySet[Site]:
    qs = Site.objects.all()
    if source == "real":
        qs = qs.exclude(source_kind=SourceKind.SYNTHETIC)
    elif source:
        qs = qs.filter(source_kind=source)
    return qs


def kind_counts(*, source: str | None = None) -> dict[str, int]:
    """Sites of each kind (all known, whatever their status), members and joint projects."""
    sites = _sites(source)
    counts = dict(sites.values_list("kind").annotate(n=Count("id")).order_by())
    out = {kind: counts.get(kind, 0) for kind in SiteKind.values}
    out["in_registry"] = sites.filter(current_status__in=IN_REGISTRY).count()
    out["participants"] = (
        Membership.objects.filter(site__in=sites, date_to__isnull=True, role__in=MEMBER_ROLES)
        .values("organization_id")
        .distinct()
        .count()
    )
    out["projects"] = JointProject.objects.filter(site__in=sites).count()
    return out


def registry_size_by_year(
    *, kind: str = SiteKind.INDUSTRIAL_CLUSTER, first: int = 2015, last: int | None = None, source: str | None = None
) -> list[tuple[int, int]]:
    """Sites of `kind` in the registry at the end of each year, rebuilt from the status events."""
    last = last or date.today().year
    events = (
        SiteStatusEvent.objects.filter(site__in=_sites(source).filter(kind=kind), on__isnull=False)
        .order_by("site_id", "on", "id")
        .values_list("site_id", "on", "status")
    )
    by_site: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for site_id, on, status in events:
        by_site[site_id].append((on, status))
    result = []
    for year in range(first, last + 1):
        end = date(year, 12, 31)
        count = 0
        for history in by_site.values():
            state = None
            for on, status in history:
                if on > end:
                    break
                state = status
            count += state in IN_REGISTRY
        result.append((year, count))
    return result


def reported_cluster_counts() -> list[ReportedFigure]:
    """The published cluster counts drawn beside the computed ones (41 in 2018, 61 and 109 in 2024)."""
    return list(
        ReportedFigure.objects.filter(
            metric__in=["industrial_clusters_in_registry", "industrial_clusters", "industrial_clusters_expected_2024"]
        ).order_by("on")
    )


def district_breakdown(*, source: str | None = None) -> list[dict]:
    """Sites of each kind and members per federal district (a site in two districts counts in both)."""
    sites = _sites(source)
    pairs = (
        Site.regions.through.objects.filter(site__in=sites)
        .values_list("region__federal_district", "site__kind")
        .annotate(n=Count("site_id", distinct=True))
    )
    table: dict[str, Counter] = defaultdict(Counter)
    for district, kind, n in pairs:
        table[district][kind] += n
    members = dict(
        Organization.objects.filter(memberships__site__in=sites, memberships__date_to__isnull=True)
        .values_list("region__federal_district")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return [
        {
            "code": code,
            "name": label,
            **{k: table[code][k] for k in SiteKind.values},
            "participants": members.get(code, 0),
        }
        for code, label in FederalDistrict.choices
    ]


def okved_section_breakdown(*, source: str | None = None) -> list[dict]:
    """Sites by ОКВЭД section of their specialisation, and member organisations by their main code's section."""
    sites = _sites(source)
    by_section = dict(
        Site.specialisation_okved.through.objects.filter(site__in=sites)
        .values_list("okved__section")
        .annotate(n=Count("site_id", distinct=True))
        .order_by()
    )
    orgs = dict(
        Organization.objects.filter(memberships__site__in=sites, okved__isnull=False)
        .values_list("okved__section")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    names = dict(Okved.objects.filter(level=0).values_list("code", "name"))
    sections = sorted(set(by_section) | set(orgs))
    return [
        {
            "section": s,
            "name": names.get(s, s).capitalize(),
            "sites": by_section.get(s, 0),
            "organizations": orgs.get(s, 0),
        }
        for s in sections
    ]


@dataclass(frozen=True)
class RegionFigures:
    code: str
    iso_code: str | None
    name: str
    federal_district: str
    population: int | None
    sites: int
    participants: int
    projects: int

    def per_100k(self, value: int) -> float | None:
        return round(value * 100_000 / self.population, 3) if self.population else None


def region_figures(*, source: str | None = None, code: str | None = None) -> list[RegionFigures]:
    """Per region (or for the one region `code`): sites, member organisations located there, joint
    projects of its sites."""
    sites = _sites(source)
    links = Site.regions.through.objects.filter(site__in=sites)
    orgs = Organization.objects.filter(memberships__site__in=sites, memberships__date_to__isnull=True)
    regions = Region.objects.order_by("code")
    if code is not None:
        links, orgs, regions = links.filter(region_id=code), orgs.filter(region_id=code), regions.filter(code=code)
    site_counts = dict(links.values_list("region_id").annotate(n=Count("site_id", distinct=True)).order_by())
    members = dict(orgs.values_list("region_id").annotate(n=Count("id", distinct=True)).order_by())
    projects = dict(links.values_list("region_id").annotate(n=Count("site__projects", distinct=True)).order_by())
    return [
        RegionFigures(
            r.code,
            r.iso_code,
            r.name,
            r.get_federal_district_display(),
            r.population,
            site_counts.get(r.code, 0),
            members.get(r.code, 0),
            projects.get(r.code, 0),
        )
        for r in regions
    ]


def latest_changes(limit: int = 10) -> list[dict]:
    """The newest history records of sites, organisations, status events and memberships, newest first."""
    rows = []
    for model, label in (
        (Site, "Площадка"),
        (Organization, "Организация"),
        (SiteStatusEvent, "Статус в реестре"),
        (Membership, "Участник"),
    ):
        history = (
            model.history.exclude(source_kind=SourceKind.SYNTHETIC)
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        for record in history:
            rows.append(
                {
                    "when": record.history_date,
                    "what": label,
                    "object": str(record.instance),
                    "type": record.get_history_type_display(),
                    "reason": record.history_change_reason or "",
                    "user": str(record.history_user or "система"),
                    "model": model._meta.model_name,
                    "id": record.id if model is not SiteStatusEvent else record.site_id,
                }
            )
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows[:limit]


__all__ = [
    "F",
    "Q",
    "RegionFigures",
    "district_breakdown",
    "kind_counts",
    "latest_changes",
    "okved_section_breakdown",
    "region_figures",
    "registry_size_by_year",
    "reported_cluster_counts",
]
