"""Factories of registry records with valid identifiers (checksums computed, never real firms)."""

import itertools
from datetime import date

import numpy as np

from klaster.core.models import SourceKind
from klaster.registry import services
from klaster.registry.models import Organization, Site
from klaster.registry.synth.identifiers import inn10, ogrn13

_serial = itertools.count(9_000_000)


def valid_inn(region: int = 40) -> str:
    return inn10(np.array([region]), np.array([next(_serial)]))[0]


def valid_ogrn(region: int = 40) -> str:
    return ogrn13(np.array([region]), np.array([2010]), np.array([next(_serial)]))[0]


def organization(**fields) -> Organization:
    defaults = {
        "full_name": f"ООО «Тест-{next(_serial)}»",
        "region_id": "40",
        "okved_id": "29.32",
        "size": "medium",
        "source_kind": SourceKind.MANUAL,
    }
    return services.organization_create(user=None, **{**defaults, **fields})


def site(*, regions=("40",), **fields) -> Site:
    defaults = {"kind": "industrial_cluster", "name": f"Кластер «Тест-{next(_serial)}»"}
    return services.site_create(user=None, regions=list(regions), **{**defaults, **fields})


def entered_cluster(on: date = date(2020, 5, 1), number: str | None = None, **fields) -> Site:
    cluster = site(**fields)
    services.site_status_change(
        site=cluster,
        status="entered",
        on=on,
        user=None,
        registry_number=number or f"ПК-{next(_serial)}",
        decree="ПП РФ № 779",
    )
    cluster.refresh_from_db()
    return cluster
