"""Template filters for Russian formats and query strings."""

from django import template
from django.utils.http import urlencode

from klaster.exchange.report import COUNT_LABELS
from klaster.web import formats

register = template.Library()


@register.filter
def num(value, digits: int = 0) -> str:
    return formats.number(value, int(digits))


@register.filter
def rub(value) -> str:
    return formats.money(value)


@register.filter
def ruday(value) -> str:
    return formats.day(value)


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters replaced: links keep the whole view state."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def get_field_label(form, name: str) -> str:
    """A form field's label by name (error summaries name the field, not its code)."""
    field = form.fields.get(name)
    return str(field.label) if field else name


@register.filter
def param(value, unit=None) -> str:
    return formats.parameter_value(value, unit)


@register.filter
def percent(share) -> str:
    """0.105 → «10,5 %»."""
    return "—" if share is None else f"{formats.number(float(share) * 100, 1)}\u00a0%"


RUN_STATES = {"queued": "в очереди", "running": "считается", "done": "готово", "failed": "ошибка",
              "interrupted": "прерван"}  # fmt: skip


@register.filter
def run_state(state: str) -> str:
    return RUN_STATES.get(state, state)


@register.filter
def split(text: str) -> list[str]:
    return text.split()


@register.filter
def field(form, name: str):
    return form[name]


@register.filter
def count_label(key: str) -> str:
    return COUNT_LABELS.get(key, key)
