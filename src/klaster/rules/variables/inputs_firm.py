"""Inputs of a firm. Unknown is the default everywhere: NaN numbers, `unknown` checks and enums."""

from openfisca_core.periods import ETERNITY, YEAR
from openfisca_core.variables import Variable

from klaster.rules.common import NAN, Check, Enum
from klaster.rules.entities import Firm


class FirmSize(Enum):
    unknown = "неизвестно"
    micro = "микропредприятие"
    small = "малое"
    medium = "среднее"
    large = "крупное"


class SpicVersion(Enum):
    unknown = "неизвестно"
    none = "нет СПИК"
    v1 = "СПИК 1.0"
    v2 = "СПИК 2.0"


class firm_okved_class(Variable):
    value_type = float
    default_value = NAN
    entity = Firm
    definition_period = ETERNITY
    label = "Класс основного ОКВЭД2 (первые две цифры)"


class firm_size(Variable):
    value_type = Enum
    possible_values = FirmSize
    default_value = FirmSize.unknown
    entity = Firm
    definition_period = ETERNITY
    label = "Категория МСП"


class firm_technological_company(Variable):
    value_type = Enum
    possible_values = Check
    default_value = Check.unknown
    entity = Firm
    definition_period = ETERNITY
    label = "Технологическая компания"


class firm_industrial_producer(Variable):
    value_type = Enum
    possible_values = Check
    default_value = Check.unknown
    entity = Firm
    definition_period = ETERNITY
    label = "Производитель промышленной продукции"


class firm_revenue_rub(Variable):
    value_type = float
    default_value = NAN
    entity = Firm
    definition_period = ETERNITY
    unit = "currency-RUB"
    label = "Выручка"


class firm_headcount(Variable):
    value_type = float
    default_value = NAN
    entity = Firm
    definition_period = YEAR
    label = "Среднесписочная численность работников за год"


class firm_payroll_rub(Variable):
    value_type = float
    default_value = NAN
    entity = Firm
    definition_period = YEAR
    unit = "currency-RUB"
    label = "Фонд оплаты труда за год (выплаты, облагаемые взносами)"


class firm_spic_version(Variable):
    value_type = Enum
    possible_values = SpicVersion
    default_value = SpicVersion.unknown
    entity = Firm
    definition_period = ETERNITY
    label = "Версия специального инвестиционного контракта"


class firm_spic_since(Variable):
    value_type = float
    default_value = NAN
    entity = Firm
    definition_period = ETERNITY
    label = "СПИК действует с (дни от 01.01.1970)"


class firm_spic_until(Variable):
    value_type = float
    default_value = NAN
    entity = Firm
    definition_period = ETERNITY
    label = "СПИК действует по (дни от 01.01.1970)"


class firm_premium_reduced_since(Variable):
    value_type = float
    default_value = NAN
    entity = Firm
    definition_period = ETERNITY
    label = "Начало применения пониженного тарифа взносов (дни от 01.01.1970); по умолчанию — начало СПИК"
