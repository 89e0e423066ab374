"""The GISIP park card: what an industrial park's or technopark's card in the state information system of
industry (ГИСИП) says beyond the site's own columns — type of land, operating status, land for sale or lease,
distances, free area and space, utility capacities, residents, jobs, investment, tax benefits, contacts
(`../shared/docs/import_formats.md`). Kept as one JSON object on the site (`Site.park_card`), field by field as
listed here: a card has some 85 fields and varies between regions' submissions, and none of these is a rule's
input, so they need no columns of their own.

Values are stored ready for JSON: numbers as decimal strings («1500.5», exact), whole numbers as integers,
yes/no as booleans, choices as codes, text as text.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CardField:
    key: str
    label: str  # the header the export writes and the site's page shows
    kind: str  # "number", "integer", "bool", "choice" or "text"
    synonyms: tuple[str, ...] = ()  # other headers of the same column, besides the label
    choices: tuple[tuple[str, str], ...] = ()  # (code, label) of a "choice"


FIELDS = (
    CardField("site_type", "Тип площадки", "choice", ("гринфилд/браунфилд",),
              (("greenfield", "гринфилд"), ("brownfield", "браунфилд"))),
    CardField("operation", "Статус парка", "choice", ("статус площадки", "статус технопарка"),
              (("operating", "действующий"), ("being_created", "создаваемый"))),
    CardField("land_sale", "Продажа земельных участков", "bool", ("продажа земли",)),
    CardField("land_lease", "Аренда земельных участков", "bool", ("аренда земли",)),
    CardField("distance_centre_km", "Расстояние до регионального центра, км", "number",
              ("до регионального центра, км",)),
    CardField("distance_road_km", "Расстояние до федеральной трассы, км", "number", ("до федеральной трассы, км",)),
    CardField("distance_rail_km", "Расстояние до ж/д станции, км", "number",
              ("расстояние до железнодорожной станции, км", "до ж/д станции, км")),
    CardField("distance_airport_km", "Расстояние до аэропорта, км", "number", ("до аэропорта, км",)),
    CardField("distance_port_km", "Расстояние до порта, км", "number", ("до порта, км",)),
    CardField("free_area_ha", "Свободная площадь, га", "number", ("свободные площади, га",)),
    CardField("office_area_m2", "Офисные площади, м²", "number", ("офисные площади, м2",)),
    CardField("electricity_mw", "Электроэнергия, МВт", "number", ("мощность электроэнергии, мвт",)),
    CardField("electricity_free_mw", "Свободная мощность электроэнергии, МВт", "number"),
    CardField("gas_m3h", "Газ, м³/ч", "number", ("газ, м3/ч",)),
    CardField("gas_free_m3h", "Свободная мощность газа, м³/ч", "number", ("свободная мощность газа, м3/ч",)),
    CardField("heat_gcalh", "Тепло, Гкал/ч", "number", ("теплоснабжение, гкал/ч",)),
    CardField("heat_free_gcalh", "Свободная мощность тепла, Гкал/ч", "number"),
    CardField("water_m3d", "Водоснабжение, м³/сут", "number", ("водоснабжение, м3/сут",)),
    CardField("water_free_m3d", "Свободная мощность водоснабжения, м³/сут", "number",
              ("свободная мощность водоснабжения, м3/сут",)),
    CardField("sewage_m3d", "Водоотведение, м³/сут", "number", ("водоотведение, м3/сут",)),
    CardField("sewage_free_m3d", "Свободная мощность водоотведения, м³/сут", "number",
              ("свободная мощность водоотведения, м3/сут",)),
    CardField("residents", "Число резидентов", "integer", ("количество резидентов",)),
    CardField("jobs", "Создано рабочих мест", "integer", ("количество рабочих мест", "рабочих мест создано")),
    CardField("investment_state_rub", "Государственные инвестиции, ₽", "number",
              ("государственные инвестиции, руб", "бюджетные инвестиции, руб")),
    CardField("investment_private_rub", "Частные инвестиции, ₽", "number",
              ("частные инвестиции, руб", "инвестиции резидентов, руб")),
    CardField("tax_benefits", "Налоговые льготы", "text", ("льготы резидентам",)),
    CardField("contacts", "Контакты", "text", ("контактная информация",)),
)  # fmt: skip
BY_KEY = {f.key: f for f in FIELDS}


def decimal_text(value, *, grouped: bool = False) -> str:
    """A number as a Russian reader writes it, exactly: «1 500,5» (grouped, for pages) or «1500,5» (for a file the
    import reads back as the same number)."""
    number = Decimal(value).normalize()
    text = f"{number:,f}" if grouped else format(number, "f")
    return text.replace(",", " ").replace(".", ",")


def shown(field: CardField, value, *, grouped: bool = True) -> str:
    """A stored value as a Russian reader writes it: «1 500,5» (grouped, for pages) or «1500,5» (for a file the
    import reads back as the same number), «да»/«нет», a choice's label."""
    if value is None or value == "":
        return ""
    if field.kind == "number":
        return decimal_text(value, grouped=grouped)
    if field.kind == "integer":
        return f"{value:,}".replace(",", " ") if grouped else str(value)
    if field.kind == "bool":
        return "да" if value else "нет"
    if field.kind == "choice":
        return dict(field.choices).get(value, value)
    return str(value)


def rows(card: dict) -> list[tuple[str, str]]:
    """(label, value) of a card's filled fields, in the card's order: what the site's page lists."""
    return [(f.label, shown(f, card[f.key])) for f in FIELDS if card.get(f.key) not in (None, "")]
