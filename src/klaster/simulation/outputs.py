"""Writing a report: JSON (everything), XLSX (aggregates: the scenario text and its changes on the first
sheet, one sheet per table), and the per-firm rows as Parquet and CSV (never in Excel: no row limit)."""

import json
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from klaster.core.cells import neutralise

# Sheet title, report key (dotted), columns (key, Russian header).
SHEETS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("Меры", "measures", [("title", "Мера"), ("baseline.cost_first_year_rub", "База: первый год, ₽"),
                          ("scenario.cost_first_year_rub", "Сценарий: первый год, ₽"),
                          ("baseline.cost_window_rub", "База: за окно, ₽"),
                          ("scenario.cost_window_rub", "Сценарий: за окно, ₽"), ("delta_window_rub", "Разница, ₽"),
                          ("baseline.beneficiaries", "Получатели (база)"),
                          ("scenario.beneficiaries", "Получатели (сценарий)"), ("kept", "Сохранили"),
                          ("gained", "Приобрели"), ("lost", "Потеряли"), ("unknown", "Неизвестно"),
                          ("scenario.average_rub", "Средняя поддержка (сценарий), ₽"),
                          ("scenario.median_rub", "Медиана (сценарий), ₽")]),
    ("По годам", "by_year", [("year", "Год"), ("measure", "Мера"), ("baseline_rub", "База, ₽"),
                             ("scenario_rub", "Сценарий, ₽")]),
    *[
        (title, f"breakdowns.{key}", [("key", title), ("baseline_rub", "База, ₽"), ("scenario_rub", "Сценарий, ₽"),
                                      ("delta_rub", "Разница, ₽"), ("beneficiaries_baseline", "Получатели (база)"),
                                      ("beneficiaries_scenario", "Получатели (сценарий)")])
        for key, title in (("region", "Регионы"), ("district", "Округа"), ("size", "Категории"),
                           ("section", "Разделы ОКВЭД2"), ("cluster", "Кластеры"))
    ],
    ("Выигравшие и проигравшие", "winners_losers", [("title", "Мера"), ("winners", "Выиграли"),
                                                    ("losers", "Проиграли"), ("gain_rub", "Выигрыш, ₽"),
                                                    ("loss_rub", "Проигрыш, ₽")]),
    ("Наибольший выигрыш", "top_gainers", [("firm_id", "Организация"), ("name", "Название"), ("region", "Регион"),
                                           ("cluster", "Кластер"), ("baseline_rub", "База, ₽"),
                                           ("scenario_rub", "Сценарий, ₽"), ("delta_rub", "Разница, ₽")]),
    ("Лимит (база)", "budget.baseline", [("measure", "Мера"), ("year", "Год"), ("demand_rub", "Спрос, ₽"),
                                         ("budget_rub", "Лимит, ₽"), ("paid_rub", "Выплачено, ₽"),
                                         ("funded_share", "Доля профинансированного")]),
    ("Лимит (сценарий)", "budget.scenario", [("measure", "Мера"), ("year", "Год"), ("demand_rub", "Спрос, ₽"),
                                             ("budget_rub", "Лимит, ₽"), ("paid_rub", "Выплачено, ₽"),
                                             ("funded_share", "Доля профинансированного")]),
    ("Неподтверждённые параметры", "unverified", [("parameter", "Параметр"), ("since", "С даты"),
                                                   ("value", "Значение"), ("confidence", "Достоверность"),
                                                   ("assumption", "Допущение"), ("notes", "Примечание")]),
    ("Чувствительность", "sensitivity", [("variant", "Вариант"), ("baseline_window_rub", "База за окно, ₽"),
                                          ("scenario_window_rub", "Сценарий за окно, ₽"),
                                          ("delta_window_rub", "Разница, ₽")]),
]  # fmt: skip


def _get(data, dotted: str):
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _cell(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return neutralise(value)


def write_xlsx(report: dict, path: Path) -> None:
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    first = book.create_sheet("Сценарий")

    def header(sheet, titles):
        cells = []
        for t in titles:
            cell = WriteOnlyCell(sheet, value=t)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    first.append([report["title"]])
    first.append(["Версия правил", report["rules_version"]])
    first.append(["Годы", f"{report['years'][0]}–{report['years'][-1]}"])
    first.append(["Популяция", report["population"]["source"]])
    first.append([])
    header(first, ["Сценарий", "Параметр", "Значение", "С", "По", "Источник", "Допущение"])
    for side in ("baseline", "scenario"):
        for c in report[side]["changes"]:
            first.append([_cell(x) for x in (f"{side}: {c['scenario']}", c["parameter"], c["value"],
                                             c["in_force_from"], c["in_force_until"], c["source"],
                                             "да" if c["assumption"] else "нет")])  # fmt: skip
    first.append([])
    header(first, ["Не моделируется"])
    for item in report["not_modelled"]:
        first.append([_cell(f"{item['scenario']}: {item['item']}")])
    first.append([])
    header(first, ["Допущения"])
    for text in report["assumptions"]:
        first.append([_cell(text)])
    for name, text in report["scenario"]["texts"].items():
        first.append([])
        header(first, [f"Текст сценария {name}"])
        for line in text.splitlines():
            first.append([_cell(line)])
    for title, key, columns in SHEETS:
        sheet = book.create_sheet(title[:31])
        header(sheet, [h for _, h in columns])
        for row in _get(report, key) or []:
            sheet.append([_cell(_get(row, k)) for k, _ in columns])
    book.save(path)


def write_all(report: dict, per_firm: pl.DataFrame, out: Path) -> dict[str, Path]:
    """report.json, report.xlsx, firms.parquet, firms.csv in `out` (created)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "json": out / "report.json",
        "xlsx": out / "report.xlsx",
        "parquet": out / "firms.parquet",
        "csv": out / "firms.csv",
    }
    files["json"].write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    write_xlsx(report, files["xlsx"])
    per_firm.write_parquet(files["parquet"], compression="zstd")
    per_firm.write_csv(files["csv"])
    return files
