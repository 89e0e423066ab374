"""`klaster demo`: the real objects named in the news, loaded through the services, idempotently.

A second run changes nothing: each record is found by its natural key and saved only if a field
differs, so the change history does not grow on repeated runs.
"""

from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml
from django.db import transaction

from klaster.core.models import SourceKind
from klaster.registry import services
from klaster.registry.models import Membership, Organization, ReportedFigure, Site

DEMO_FILE = resources.files("klaster.registry") / "data" / "demo.yaml"
DEMO = SourceKind.DEMO


def _changed(obj, fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if getattr(obj, k) != v}


def _organization(spec: dict[str, Any], sources: dict[str, str]) -> tuple[Organization, bool]:
    fields = {
        "kind": spec.get("kind", "company"),
        "short_name": spec.get("short_name", ""),
        "region_id": spec.get("region"),
        "note": spec.get("note", ""),
        "source": sources[spec["source"]],
    }
    org = Organization.objects.filter(full_name=spec["full_name"], source_kind=DEMO).first()
    if org is None:
        return services.organization_create(
            user=None, full_name=spec["full_name"], source_kind=DEMO, reason="Демонстрационные данные", **fields
        ), True
    diff = _changed(org, fields)
    if diff:
        services.organization_update(organization=org, user=None, reason="Демонстрационные данные", **diff)
    return org, bool(diff)


def _site(spec: dict[str, Any], sources: dict[str, str], sites: dict[str, Site]) -> tuple[Site, bool]:
    fields = {
        "specialisation": spec.get("specialisation", ""),
        "note": spec.get("note", ""),
        "source": sources[spec["source"]],
        "declared_investment_rub": (
            Decimal(spec["declared_investment_rub"]).quantize(Decimal("0.01"))
            if "declared_investment_rub" in spec
            else None
        ),
        "host": sites[spec["host"]] if "host" in spec else None,
    }
    site = Site.objects.filter(kind=spec["kind"], name=spec["name"]).first()
    touched = False
    if site is None:
        site = services.site_create(
            user=None,
            kind=spec["kind"],
            name=spec["name"],
            regions=spec["regions"],
            specialisation_okved=spec.get("okved", []),
            source_kind=DEMO,
            reason="Демонстрационные данные",
            **fields,
        )
        touched = True
    else:
        diff = _changed(site, fields)
        if diff:
            services.site_update(site=site, user=None, reason="Демонстрационные данные", **diff)
            touched = True
    if "status" in spec:
        on = spec.get("status_on")
        on = on if isinstance(on, date) or on is None else date.fromisoformat(on)
        if not site.status_events.filter(status=spec["status"], on=on).exists():
            services.site_status_change(
                site=site, status=spec["status"], on=on, user=None, source=fields["source"], source_kind=DEMO
            )
            touched = True
    return site, touched


def _members(site: Site, spec: dict[str, Any], orgs: dict[str, Organization], source: str) -> int:
    added = 0
    for member in spec.get("members", []):
        org = orgs[member["org"]]
        if not Membership.objects.filter(organization=org, site=site, date_to__isnull=True).exists():
            services.membership_create(
                organization=org, site=site, role=member["role"], user=None, source_kind=DEMO, source=source
            )
            added += 1
    return added


def _figure(spec: dict[str, Any], sources: dict[str, str], sites: dict[str, Site]) -> bool:
    source = sources[spec["source"]]
    on = spec["date"] if isinstance(spec["date"], date) else date.fromisoformat(spec["date"])
    if ReportedFigure.objects.filter(on=on, metric=spec["metric"], source=source).exists():
        return False
    services.reported_figure_create(
        user=None,
        on=on,
        metric=spec["metric"],
        what=spec["what"],
        value=Decimal(str(spec["value"])),
        qualifier=spec.get("qualifier", ""),
        unit=spec.get("unit", ""),
        note=spec.get("note", ""),
        site=sites.get(spec.get("site", "")),
        source=source,
        source_kind=DEMO,
    )
    return True


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Load or refresh the demo set; returns how many records of each kind were created or changed."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    sources = data["sources"]
    counts = {"organizations": 0, "sites": 0, "memberships": 0, "reported_figures": 0}
    orgs: dict[str, Organization] = {}
    for spec in data["organizations"]:
        orgs[spec["key"]], touched = _organization(spec, sources)
        counts["organizations"] += touched
    sites: dict[str, Site] = {}
    for spec in data["sites"]:
        sites[spec["key"]], touched = _site(spec, sources, sites)
        counts["sites"] += touched
        counts["memberships"] += _members(sites[spec["key"]], spec, orgs, sources[spec["source"]])
    for spec in data["reported_figures"]:
        counts["reported_figures"] += _figure(spec, sources, sites)
    return counts
