"""«Меры поддержки»: every measure with its conditions and the dated history of its parameters,
rendered from the rules' own variables and parameter tree (sources and confidence included)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klaster.rules.measures import MEASURES
from klaster.rules.parameters_tree import parameter_history, parameter_list
from klaster.rules.system import baseline
from klaster.web.forms.selection import SelectionForm
from klaster.web.navigator import MEASURE_TITLES
from klaster.web.selection import select

CONFIDENCE = {
    "act": "по тексту акта",
    "secondary": "по данным вторичного источника",
    "conflicting": "источники расходятся",
    "unverified": "не подтверждено",
    None: "—",
}


def _reference(variable) -> str:
    ref = getattr(variable, "reference", None) or []
    return "; ".join(ref) if isinstance(ref, list | tuple) else str(ref)


def measures_page(request: HttpRequest) -> HttpResponse:
    tbs = baseline()
    paths = [p["path"] for p in parameter_list(tbs)]
    sections = []
    for measure in MEASURES.values():
        conditions = [
            {"label": tbs.variables[c].label, "reference": _reference(tbs.variables[c])}
            for c in measure.conditions
            if c in tbs.variables
        ]
        params = [parameter_history(p, tbs) for p in paths if p.startswith(f"{measure.id}.")]
        sections.append(
            {
                "id": measure.id,
                "title": MEASURE_TITLES.get(measure.id, measure.title),
                "conditions": conditions,
                "parameters": params,
                "assumptions": measure.assumptions,
            }
        )
    general = [parameter_history(p, tbs) for p in paths if p.startswith("general.")]
    return render(
        request, "web/measures/measures.html", {"sections": sections, "general": general, "confidence": CONFIDENCE}
    )


def selection_page(request: HttpRequest) -> HttpResponse:
    """«Подбор мер поддержки»: the form is a GET, so an answer is a link that can be shared."""
    bound = any(key in request.GET for key in SelectionForm.base_fields)
    form = SelectionForm(request.GET if bound else None)
    answer = select(form) if bound and form.is_valid() else None
    return render(request, "web/measures/selection.html", {"form": form, "selection": answer})
