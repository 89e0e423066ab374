"""Shared pieces of the two loan measures: the base class and the borrower's facts on a loan."""

import numpy
from openfisca_core.periods import DAY, YEAR
from openfisca_core.variables import Variable

from klaster.rules.common import NAN, UNKNOWN, Check, Enum, checks, link
from klaster.rules.entities import Loan


class LoanCheck(Variable):
    value_type = Enum
    possible_values = Check
    default_value = Check.unknown
    entity = Loan
    definition_period = DAY


class LoanAmount(Variable):
    value_type = float
    entity = Loan
    definition_period = DAY
    unit = "currency-RUB"


class LoanYearFlow(Variable):
    value_type = float
    entity = Loan
    definition_period = YEAR
    unit = "currency-RUB"


def signed(loan, period) -> numpy.ndarray:
    """The contract date: loans are judged by the rules in force when they were signed."""
    return loan("loan_signed_on", period)


def borrower(loan, variable: str, period, default=NAN) -> numpy.ndarray:
    return link(loan, "loan_firm_idx", "firm", variable, period, default)


def borrower_check(loan, variable: str, period):
    return checks(borrower(loan, variable, period, UNKNOWN))


def param_flag(values) -> numpy.ndarray:
    """An on/off parameter read at dates: 1 on, 0 off, NaN unknown."""
    return numpy.asarray(values, dtype=numpy.float64)
