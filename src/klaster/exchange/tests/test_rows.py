"""A sheet's rows parsed once per distinct cell: the cache returns what parsing would, errors included, for
every row and sheet of a file, and never lets one cell's value stand for another's."""

from datetime import date

from klaster.exchange import rows
from klaster.exchange.rows import RowParser

COLUMNS = {0: "inn", 1: "full_name", 2: "date_from"}


def test_a_cached_cell_gives_the_same_value_or_error_on_every_row_and_sheet(monkeypatch):
    cache: rows.Cache = {}
    first = RowParser("Участники", COLUMNS, 3, cache)
    good = first(2, ["7707083893", "ООО «Альфа»", "01.06.2024"])
    bad = first(3, ["7707083894", "ООО «Альфа»", "31.02.2024"])
    again = first(4, ["7707083894", "ООО «Бета»", "31.02.2024"])
    assert good.values == {"inn": "7707083893", "full_name": "ООО «Альфа»", "date_from": date(2024, 6, 1)}
    assert [(e.row, e.column, e.value) for e in bad.errors] == [
        (3, "ИНН", "7707083894"),
        (3, "Дата вступления", "31.02.2024"),
    ]
    assert [(e.row, e.column, e.reason) for e in again.errors] == [(4, e.column, e.reason) for e in bad.errors]
    assert again.values == {"full_name": "ООО «Бета»"}
    second = RowParser("Лист2", {1: "inn", 0: "full_name"}, 2, cache)  # the same file's next sheet
    row = second(2, ["ООО «Гамма»", "7707083893"])
    assert row.values == {"inn": "7707083893", "full_name": "ООО «Гамма»"} and row.sheet == "Лист2"
    monkeypatch.setattr(rows, "CACHE_LIMIT", 2)  # a full column's memory is cleared, not grown
    for number, name in enumerate(["А", "Б", "В", "Г"], start=5):
        first(number, ["7707083893", f"ООО «{name}»", ""])
    assert len(cache["full_name"]) <= 2


def test_a_cell_that_cannot_be_a_key_is_parsed_every_time():
    parse = RowParser("JSON", {0: "full_name", 1: "inn"}, 2, {})
    row = parse(2, [["не", "текст"], "7707083893"])
    assert row.values["inn"] == "7707083893" and row.values["full_name"] == "['не', 'текст']"
    assert parse(3, [["не", "текст"], "7707083893"]).values == row.values
