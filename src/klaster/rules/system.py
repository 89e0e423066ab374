"""Klaster's OpenFisca tax-benefit system: entities, the parameter tree and every variable.

Money and counts must be 64-bit: OpenFisca's `float` is float32 (a 1 999 999 999 ₽ loan would pass a
2 000 000 000 ₽ floor) and its `int` int32 (sums over 2.1 bln wrap). Variables read the dtype when
they are instantiated, so the override happens at import, before any variable is built.
"""

import importlib
import inspect
import pkgutil
from functools import lru_cache
from pathlib import Path

import numpy
from openfisca_core.variables import config as _variable_config

_variable_config.VALUE_TYPES[float]["dtype"] = numpy.float64
_variable_config.VALUE_TYPES[int]["dtype"] = numpy.int64

from openfisca_core.taxbenefitsystems import TaxBenefitSystem  # noqa: E402
from openfisca_core.variables import Variable  # noqa: E402

from klaster.rules import variables as _variables_package  # noqa: E402
from klaster.rules.entities import ENTITIES  # noqa: E402

PARAMETERS_DIR = Path(__file__).parent / "parameters"


def variable_classes() -> list[type[Variable]]:
    """Every Variable subclass defined in `klaster.rules.variables.*`, in a stable order.

    Imported as normal modules rather than OpenFisca's file loader, so the classes are the same
    objects everywhere (tests, docs, kernel) and module-level constants are shared."""
    found: list[type[Variable]] = []
    for info in sorted(pkgutil.iter_modules(_variables_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{_variables_package.__name__}.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Variable) and cls.__module__ == module.__name__ and name == name.lower():
                found.append(_flatten(cls))
    return found


def _flatten(cls: type[Variable]) -> type[Variable]:
    """OpenFisca reads a variable's attributes from its own class dict only, so shared bases
    (`LoanCheck`, `SiteCheck`: value type, entity, period) are merged into each variable."""
    if len(cls.__mro__) <= 3:  # cls, Variable, object
        return cls
    merged: dict = {}
    for base in reversed(cls.__mro__):
        if base in (Variable, object):
            continue
        merged.update({k: v for k, v in vars(base).items() if not k.startswith("__")})
    merged["__module__"] = cls.__module__
    merged["__doc__"] = cls.__doc__
    return type(cls.__name__, (Variable,), merged)


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """The name OpenFisca's tools expect; design C entities (see docs/rules.md)."""

    def __init__(self) -> None:
        super().__init__(ENTITIES)
        self.load_parameters(str(PARAMETERS_DIR))
        self.add_variables(*variable_classes())


@lru_cache(maxsize=1)
def baseline() -> CountryTaxBenefitSystem:
    """One baseline system per process: loading is cheap, but holders of parameters are reused."""
    return CountryTaxBenefitSystem()
