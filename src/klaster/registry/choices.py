"""Choice lists of the registry: values are the glossary's code names, labels are Russian."""

from django.db import models


class FederalDistrict(models.TextChoices):
    CENTRAL = "central", "Центральный"
    NORTHWESTERN = "northwestern", "Северо-Западный"
    SOUTHERN = "southern", "Южный"
    NORTH_CAUCASIAN = "north_caucasian", "Северо-Кавказский"
    VOLGA = "volga", "Приволжский"
    URAL = "ural", "Уральский"
    SIBERIAN = "siberian", "Сибирский"
    FAR_EASTERN = "far_eastern", "Дальневосточный"


class OrganizationKind(models.TextChoices):
    COMPANY = "company", "Предприятие"
    SPECIALISED_ORGANISATION = "specialised_organisation", "Специализированная организация кластера"
    MANAGEMENT_COMPANY = "management_company", "Управляющая компания"
    UNIVERSITY = "university", "Вуз или научная организация"
    BANK = "bank", "Банк"
    OTHER = "other", "Другое"


class SizeCategory(models.TextChoices):
    MICRO = "micro", "Микропредприятие"
    SMALL = "small", "Малое"
    MEDIUM = "medium", "Среднее"
    LARGE = "large", "Крупное"


class SpicVersion(models.TextChoices):
    NONE = "none", "Нет СПИК"
    V1 = "1.0", "СПИК 1.0"
    V2 = "2.0", "СПИК 2.0"


class SiteKind(models.TextChoices):
    INDUSTRIAL_CLUSTER = "industrial_cluster", "Промышленный кластер"
    INDUSTRIAL_PARK = "industrial_park", "Индустриальный парк"
    INDUSTRIAL_TECHNOPARK = "industrial_technopark", "Промышленный технопарк"
    HIGHTECH_TECHNOPARK = "hightech_technopark", "Технопарк в сфере высоких технологий"
    SEZ = "sez", "Особая экономическая зона"


class SezType(models.TextChoices):
    INDUSTRIAL = "industrial", "Промышленно-производственная"
    TECHNOLOGY = "technology", "Технико-внедренческая"
    TOURIST = "tourist", "Туристско-рекреационная"
    PORT = "port", "Портовая"


class Ownership(models.TextChoices):
    STATE = "state", "Государственная"
    PRIVATE = "private", "Частная"
    PUBLIC_PRIVATE = "public_private", "Государственно-частная"


class RegistryStatus(models.TextChoices):
    ANNOUNCED = "announced", "Объявлен"
    BEING_CREATED = "being_created", "Создаётся"
    APPLIED = "applied", "Подана заявка в реестр"
    ENTERED = "entered", "Включён в реестр"
    RECONFIRMED = "reconfirmed", "Соответствие подтверждено повторно"
    EXCLUDED = "excluded", "Исключён из реестра"


# Statuses under which a site counts as "in the registry" on a date.
IN_REGISTRY = (RegistryStatus.ENTERED, RegistryStatus.RECONFIRMED)


class MembershipRole(models.TextChoices):
    ANCHOR = "anchor", "Якорный участник"
    PARTICIPANT = "participant", "Участник"
    RESIDENT = "resident", "Резидент"
    SPECIALISED_ORGANISATION = "specialised_organisation", "Специализированная организация"
    MANAGEMENT_COMPANY = "management_company", "Управляющая компания"
    PARTNER = "partner", "Партнёр"


class ProjectStage(models.TextChoices):
    RND = "rnd", "НИОКР"
    PILOT = "pilot", "Опытная (стартовая) партия"
    SERIAL = "serial", "Серийное производство"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "Заявлен"
    ACTIVE = "active", "Реализуется"
    COMPLETED = "completed", "Завершён"
    CANCELLED = "cancelled", "Прекращён"


class ProjectRole(models.TextChoices):
    LEAD = "lead", "Головной исполнитель"
    CO_EXECUTOR = "co_executor", "Соисполнитель"
    BUYER = "buyer", "Покупатель"


class CostType(models.TextChoices):
    RND = "rnd", "НИОКР"
    EQUIPMENT = "equipment", "Оборудование"
    TOOLING = "tooling", "Оснастка"
    CERTIFICATION = "certification", "Сертификация"
    OTHER = "other", "Прочее"


class LoanProgramme(models.TextChoices):
    INDUSTRIAL_MORTGAGE = "industrial_mortgage", "Промышленная ипотека (ПП № 1570)"
    CLUSTER_INVESTMENT_PLATFORM = "cluster_investment_platform", "Кластерная инвестиционная платформа (ПП № 295)"


class LoanPurpose(models.TextChoices):
    PURCHASE = "purchase", "Приобретение"
    CONSTRUCTION = "construction", "Строительство"
    MODERNISATION = "modernisation", "Модернизация"
    RECONSTRUCTION = "reconstruction", "Реконструкция"


class IndicatorKind(models.TextChoices):
    PARTICIPANTS = "participants", "Число участников"
    OUTPUT_RUB = "output_rub", "Объём производства, ₽"
    EXPORTS_RUB = "exports_rub", "Экспорт, ₽"
    EMPLOYMENT = "employment", "Численность занятых"
    INVESTMENT_RUB = "investment_rub", "Инвестиции, ₽"
    IMPORT_SUBSTITUTION_SHARE = "import_substitution_share", "Доля импортозамещающей продукции"


def choice_check(field: str, choices: type[models.TextChoices], *, allow_blank: bool = False) -> models.Q:
    """The Q for a CheckConstraint keeping a column within its choices (blank = unknown when allowed)."""
    values = list(choices.values) + ([""] if allow_blank else [])
    return models.Q(**{f"{field}__in": values})
