"""The global search box: sites, organisations (by name, place or ИНН) and projects on one page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klaster.registry import search
from klaster.registry.models import JointProject, Organization, Site

LIMIT = 20


def global_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results: dict[str, list] = {"sites": [], "organizations": [], "projects": []}
    counts = {"sites": 0, "organizations": 0, "projects": 0}
    if query:
        sites = search.filter_queryset(Site.objects.all(), query, "site")
        orgs = search.filter_organizations(Organization.objects.all(), query)
        projects = search.filter_queryset(JointProject.objects.all(), query, "project")
        for key, qs, order in (
            ("sites", sites.prefetch_related("regions"), "name"),
            ("organizations", orgs.select_related("region"), "full_name"),
            ("projects", projects.select_related("site"), "title"),
        ):
            counts[key] = qs.count()
            results[key] = list(qs.order_by(order)[:LIMIT])
    return render(request, "web/search.html", {"query": query, "results": results, "counts": counts, "limit": LIMIT})
