"""Spreadsheet cells written by Klaster: text that a spreadsheet would run as a formula stays text.

Plain Python (no Django): the simulation's report writer uses it as well as the web and import/export."""

FORMULA_START = ("=", "+", "-", "@")


def neutralise(value):
    """«=cmd|…» becomes «'=cmd|…»: shown as text, never executed. Other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore(value):
    """The inverse of `neutralise`, for reading back a file Klaster wrote: «'=cmd|…» is «=cmd|…» again."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]
    return value
