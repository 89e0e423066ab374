"""Base classes of condition variables shared by several measures' modules (never registered themselves:
the system registers lower-case names only)."""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

from klaster.rules.common import Check


class DayCheck(Variable):
    """A condition answered for a day: passed, failed or unknown (the default, so an unset row never passes)."""

    value_type = Enum
    possible_values = Check
    default_value = Check.unknown
    definition_period = DAY
