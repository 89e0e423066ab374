"""Which missing input would turn an «неизвестно» into an answer.

The rules know which facts a condition reads, but not how a user's form names them; so instead of
keeping a second, hand-written map that could drift from the formulas, we ask the rules themselves:
fill every missing field with a plausible value, see which unknown conditions become known, then
leave each field out in turn to see which of them it was that mattered. Conditions no field can
settle depend on something the input cannot give (an unverified parameter, a fact the form does
not ask) and are reported as such.

The caller owns the form: `build(values)` turns its field values into the JSON contract, and a value
of None means the user left the field empty.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from klaster.rules.contract import EvalInput, EvalOutput, ResultOut, evaluate

AMOUNT = "amount"  # the pseudo-condition "the amount is unknown"
Key = tuple[str, str, str, str]  # measure, entity, id, period


def result_key(result: ResultOut) -> Key:
    return (result.measure, result.entity, result.id, result.period)


@dataclass
class Hint:
    """For one unknown condition (or amount) of one answer: the fields that would settle it."""

    fields: list[str] = field(default_factory=list)
    together: bool = False  # settled only by several fields filled together, none needed alone

    @property
    def answerable(self) -> bool:
        return bool(self.fields)


def _unknowns(output: EvalOutput, keep: Callable[[ResultOut], bool]) -> dict[Key, set[str]]:
    found: dict[Key, set[str]] = {}
    for result in output.results:
        if not keep(result):
            continue
        codes = {c.code for c in result.conditions if c.status == "unknown"}
        if result.amount_rub is None and result.eligible is not False:
            codes.add(AMOUNT)
        if codes:
            found[result_key(result)] = codes
    return found


def _runner(build: Callable[[Mapping[str, Any]], dict], measures: list[str]):
    """Probes compute only the measures that had an unknown: the rest cannot change the hints."""

    def run(values: Mapping[str, Any]) -> EvalOutput:
        return evaluate(EvalInput.model_validate({**build(values), "measures": measures}))

    return run


def answering_fields(
    values: Mapping[str, Any],
    build: Callable[[Mapping[str, Any]], dict],
    probes: Mapping[str, Any],
    keep: Callable[[ResultOut], bool] = lambda r: True,
    base: EvalOutput | None = None,
) -> dict[Key, dict[str, Hint]]:
    """For every unknown condition of the kept results: the empty fields (names of `probes`) that answer it.

    `probes` gives each field a plausible value to try. A field counts when leaving it out of a fully
    filled input makes the condition unknown again (it is needed); where several fields each suffice
    on their own, every one that settles it alone is named.
    """
    base = base or evaluate(EvalInput.model_validate(build(values)))
    unknown = _unknowns(base, keep)
    empty = [name for name in probes if values.get(name) in (None, "")]
    if not unknown or not empty:
        return {key: {code: Hint() for code in codes} for key, codes in unknown.items()}

    _run = _runner(build, sorted({key[0] for key in unknown}))
    filled = {**values, **{name: probes[name] for name in empty}}
    still = _unknowns(_run(filled), keep)
    hints: dict[Key, dict[str, Hint]] = {key: {code: Hint() for code in codes} for key, codes in unknown.items()}
    settled = {(key, code) for key, codes in unknown.items() for code in codes if code not in still.get(key, set())}
    for name in empty:
        without = _unknowns(_run({**filled, name: values.get(name)}), keep)
        for key, code in settled:
            if code in without.get(key, set()):
                hints[key][code].fields.append(name)
    alone = [(key, code) for key, code in settled if not hints[key][code].fields]
    if alone:
        for name in empty:
            single = _unknowns(_run({**values, name: probes[name]}), keep)
            for key, code in alone:
                if code not in single.get(key, set()):
                    hints[key][code].fields.append(name)
        for key, code in alone:
            if not hints[key][code].fields:
                hints[key][code] = Hint(fields=list(empty), together=True)
    return hints
