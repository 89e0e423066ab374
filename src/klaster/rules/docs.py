"""Generates docs/measures.md from the YAML parameters and the variables.

`python -m klaster.rules.docs` writes it; `python -m klaster.rules.docs --check` exits 1 when the
file is stale (CI and a test run the check)."""

import sys
from pathlib import Path

from klaster.rules.measures import MEASURES
from klaster.rules.parameters_tree import _walk, value_entry
from klaster.rules.system import CountryTaxBenefitSystem

TARGET = Path(__file__).resolve().parents[3] / "docs" / "measures.md"
CONFIDENCE = {
    "act": "акт",
    "secondary": "вторичный источник",
    "conflicting": "источники расходятся",
    "unverified": "не подтверждено",
}
ENTITY = {"application": "заявитель и год отбора", "loan": "кредит", "firm": "организация", "site": "площадка"}


def _cell(value) -> str:
    text = "—" if value is None or value == "" else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _value(value) -> str:
    if value is None:
        return "null (не установлено)"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int | float):
        return f"{value:,}".replace(",", " ")
    return str(value)


def _parameters(tbs, prefix: str) -> list[str]:
    lines = [
        "| Параметр | С даты | Значение | Достоверность | Основание | Источник | Примечание |",
        "|---|---|---|---|---|---|---|",
    ]
    for path, param in _walk(tbs.parameters):
        if not path.startswith(prefix):
            continue
        for item in sorted(param.values_list, key=lambda v: v.instant_str):
            e = value_entry(item)
            confidence = CONFIDENCE.get(e["confidence"], e["confidence"])
            if e["assumption"]:
                confidence = f"{confidence}; допущение"
            notes = e["notes"] or ""
            if e["alternative_value"] is not None:
                notes = f"{notes} Другое значение: {_value(e['alternative_value'])}".strip()
            lines.append(
                f"| `{path}` ({_cell(param.description)}) | {e['since']} | {_cell(_value(e['value']))} | "
                f"{_cell(confidence)} | {_cell(e['reference'])} | {_cell(e['source'])} | {_cell(notes)} |"
            )
    return lines


def render() -> str:
    tbs = CountryTaxBenefitSystem()
    out = [
        "# Меры поддержки и требования реестров в правилах Klaster",
        "",
        "Файл создан командой `python -m klaster.rules.docs` из YAML-параметров и переменных "
        "`src/klaster/rules`; не правьте его вручную. Достоверность: «акт» — прочитано в акте; «вторичный "
        "источник» — по сообщениям и страницам ведомств; «источники расходятся»; «не подтверждено» — "
        "значение пустое (ответ «неизвестно») или помечено как допущение, которое можно изменить сценарием.",
        "",
    ]
    for measure in MEASURES.values():
        out += [
            f"## {measure.title}",
            "",
            f"Код меры: `{measure.id}`. Единица оценки: "
            f"{ENTITY[measure.entity]}. Право: `{measure.eligible}`"
            + (f"; сумма: `{measure.amount}`" if measure.amount else "; суммы нет (только требования)")
            + (f"; по годам: `{measure.flow}`." if measure.flow else "."),
            "",
        ]
        out += ["| Условие | Что проверяется | Основание |", "|---|---|---|"]
        for name in measure.conditions:
            variable = tbs.variables[name]
            ref = "; ".join(variable.reference) if isinstance(variable.reference, list | tuple) else variable.reference
            out.append(f"| `{name}` | {_cell(variable.label)} | {_cell(ref)} |")
        if measure.assumptions:
            out += ["", "Допущения в каждом ответе:", ""] + [f"- {a}" for a in measure.assumptions]
        out += ["", "Параметры:", "", *_parameters(tbs, f"{measure.id}."), ""]
    out += ["## Общие параметры", "", *_parameters(tbs, "general."), ""]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} устарел: запустите python -m klaster.rules.docs", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"Записан {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
