"""Factories for input variables: every input is unknown until set (NaN, `unknown`, index -1)."""

import sys

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY
from openfisca_core.variables import Variable

from klaster.rules.common import NAN, Check


def _make(name: str, attrs: dict) -> type[Variable]:
    # The calling module owns the class, so system.variable_classes() finds it there.
    attrs["__module__"] = sys._getframe(2).f_globals["__name__"]
    attrs.setdefault("definition_period", ETERNITY)
    return type(name, (Variable,), attrs)


def number_input(name: str, entity, label: str, unit: str | None = None, period: str = ETERNITY) -> type[Variable]:
    """A float64 input; NaN means unknown."""
    attrs = {"value_type": float, "default_value": NAN, "entity": entity, "label": label, "definition_period": period}
    if unit:
        attrs["unit"] = unit
    return _make(name, attrs)


def check_input(name: str, entity, label: str) -> type[Variable]:
    """A yes/no fact that may be unknown."""
    return _make(
        name,
        {
            "value_type": Enum,
            "possible_values": Check,
            "default_value": Check.unknown,
            "entity": entity,
            "label": label,
        },
    )


def enum_input(name: str, entity, enum: type[Enum], label: str) -> type[Variable]:
    """A choice whose first member, `unknown`, is the default."""
    return _make(
        name,
        {"value_type": Enum, "possible_values": enum, "default_value": enum.unknown, "entity": entity, "label": label},
    )


def index_input(name: str, entity, label: str) -> type[Variable]:
    """A foreign key: the row number in the target table, -1 for none."""
    return _make(name, {"value_type": int, "default_value": -1, "entity": entity, "label": label})
