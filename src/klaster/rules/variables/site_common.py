"""Base classes of site-level conditions and amounts."""

from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

from klaster.rules.common import Check, Enum
from klaster.rules.entities import Site


class SiteCheck(Variable):
    value_type = Enum
    possible_values = Check
    default_value = Check.unknown
    entity = Site
    definition_period = DAY


class SiteAmount(Variable):
    value_type = float
    entity = Site
    definition_period = DAY
    unit = "currency-RUB"
