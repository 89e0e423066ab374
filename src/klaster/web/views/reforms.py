"""«Реформы»: start a simulation, watch its progress, read and download its report; build a scenario."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from klaster.reforms import services
from klaster.reforms.models import SimulationRun
from klaster.simulation.report import BREAKDOWNS, TITLES
from klaster.web.charts import stacked_bars
from klaster.web.forms.reforms import RunForm, ScenarioForm
from klaster.web.tables import Table, csv_response

FILES = {
    "json": "JSON",
    "xlsx": "XLSX",
    "pdf": "PDF",
    "parquet": "Parquet по организациям",
    "csv": "CSV по организациям",
}


def reforms_page(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_create(user=request.user, **form.run_kwargs())
        except services.RunError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("web:reform", pk=run.pk)
    runs = [(run, services.state(run)) for run in SimulationRun.objects.defer("report", "texts")[:20]]
    return render(request, "web/reforms/index.html", {"form": form, "runs": runs})


def _charts(report: dict) -> tuple[dict, dict[str, Table]]:
    bln = 1e9  # charts read in млрд ₽ (Plotly would print "30B")
    years = [
        {"year": str(y),
         "baseline": round(sum(r["baseline_rub"] for r in report["by_year"] if r["year"] == y) / bln, 3),
         "scenario": round(sum(r["scenario_rub"] for r in report["by_year"] if r["year"] == y) / bln, 3)}
        for y in report["years"]
    ]  # fmt: skip
    by_year, t_year = stacked_bars(
        years, "year", [("baseline", "База, млрд ₽"), ("scenario", "Сценарий, млрд ₽")], "Расходы по годам, млрд ₽",
        barmode="group",
    )  # fmt: skip
    districts = [{"key": r["key"], "delta": round(r["delta_rub"] / bln, 3)} for r in report["breakdowns"]["district"]]
    by_district, t_district = stacked_bars(
        districts, "key", [("delta", "Разница, млрд ₽")], "Изменение за окно по федеральным округам, млрд ₽",
        horizontal=True,
    )  # fmt: skip
    return {"years": by_year, "districts": by_district}, {"by_year": t_year, "district": t_district}


def reform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(SimulationRun, pk=pk)
    context = {
        "run": run,
        "state": services.state(run),
        "breakdowns": list(BREAKDOWNS.items()),
        "titles": TITLES,
        "downloads": list(FILES.items()),
    }
    if run.report:
        charts, tables = _charts(run.report)
        export = request.GET.get("export")
        if export in tables:
            return csv_response(tables[export], f"reform-{run.pk}-{export}.csv")
        if export:
            messages.warning(request, f"Нет таблицы «{export[:40]}» для выгрузки")
        context.update({"report": run.report, "charts": charts})
    return render(request, "web/reforms/detail.html", context)


def reform_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    run = get_object_or_404(SimulationRun, pk=pk)
    if kind not in FILES or kind not in (run.files or {}):
        raise Http404("Нет такого файла")
    path = Path(run.files[kind])
    if not path.is_file():
        raise Http404("Файл отчёта удалён; пересчитайте")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"reform-{run.pk}{path.suffix}")


def scenario_new(request: HttpRequest) -> HttpResponse:
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.scenario_create(
                user=request.user, name=d["name"], title=d["title"], changes=form.changes(),
                author=d.get("author", ""), source=d.get("source", ""), description=d.get("description", ""),
            )  # fmt: skip
        except PermissionDenied as exc:
            form.add_error(None, f"{exc} Войдите: /admin/login/")
        except services.RunError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Сценарий «{d['title']}» сохранён; выберите его в списке сценариев")
            return redirect("web:reforms")
    return render(request, "web/reforms/scenario.html", {"form": form})


__all__ = ["reform_detail", "reform_file", "reforms_page", "scenario_new"]
