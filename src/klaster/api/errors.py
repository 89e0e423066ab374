"""One error shape for the whole API: 422 with field paths and Russian text, never a 500 for bad input.

`{"detail": [{"loc": ["body", "inn"], "type": "inn_checksum", "msg": "ИНН: не сходится контрольное число"}]}`
"""

import re

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

# Russian text for pydantic's error types; the machine key stays in "type".
PYDANTIC_MESSAGES = {
    "missing": "обязательное поле",
    "extra_forbidden": "неизвестное поле",
    "string_type": "ожидается строка",
    "int_type": "ожидается целое число",
    "int_parsing": "ожидается целое число",
    "float_type": "ожидается число",
    "float_parsing": "ожидается число",
    "decimal_parsing": "ожидается число",
    "decimal_type": "ожидается число",
    "bool_type": "ожидается true или false",
    "bool_parsing": "ожидается true или false",
    "date_type": "ожидается дата ГГГГ-ММ-ДД",
    "date_parsing": "ожидается дата ГГГГ-ММ-ДД",
    "date_from_datetime_parsing": "ожидается дата ГГГГ-ММ-ДД",
    "enum": "недопустимое значение",
    "literal_error": "недопустимое значение",
    "string_too_long": "слишком длинная строка",
    "string_too_short": "слишком короткая строка",
    "greater_than": "значение слишком мало",
    "greater_than_equal": "значение слишком мало",
    "less_than_equal": "значение слишком велико",
    "less_than": "значение слишком велико",
    "list_type": "ожидается список",
    "dict_type": "ожидается объект",
    "model_attributes_type": "ожидается объект",
    "json_invalid": "тело запроса — не JSON",
    "value_error": "недопустимое значение",
}


def _field_label(loc: list) -> str:
    return str(loc[-1]) if loc else "запрос"


def _clean_loc(loc) -> list[str]:
    """Drop pydantic's union-member steps (`str-enum[SizeCategory]`, `literal['']`): users see field paths."""
    parts = [str(part) for part in loc if not re.match(r"^[\w-]+\[.*\]$", str(part))]
    return [p for i, p in enumerate(parts) if not (i == 1 and parts[0] == "body" and p == "payload")]


def pydantic_detail(errors: list[dict]) -> list[dict]:
    """Russian messages, clean paths, one entry per path (a union yields one error per member)."""
    detail, seen = [], set()
    for error in errors:
        loc = _clean_loc(error.get("loc", []))
        if tuple(loc) in seen:
            continue
        seen.add(tuple(loc))
        kind = error.get("type", "value_error")
        msg = error.get("msg", "")
        if kind == "value_error" and msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")  # our own validators already speak Russian
        else:
            msg = f"{_field_label(loc)}: {PYDANTIC_MESSAGES.get(kind, msg)}"
        detail.append({"loc": loc, "type": kind, "msg": msg})
    return detail


def django_detail(exc: DjangoValidationError, prefix: str = "body") -> list[dict]:
    """Django's ValidationError (dict or list form) as field-level items with the error codes."""
    detail = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            loc = [prefix] if field == "__all__" else [prefix, field]
            for error in errors:
                text = " ".join(error.messages)
                detail.append({"loc": loc, "type": error.code or "invalid", "msg": text})
    else:
        for error in exc.error_list:
            detail.append({"loc": [prefix], "type": error.code or "invalid", "msg": " ".join(error.messages)})
    return detail


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": pydantic_detail(exc.errors)}, status=422)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        prefix = "query" if request.method in ("GET", "HEAD") else "body"
        return api.create_response(request, {"detail": django_detail(exc, prefix)}, status=422)

    @api.exception_handler(IntegrityError)
    def on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Services validate first; this is the last line when two writers race for a unique key.
        return api.create_response(
            request,
            {"detail": [{"loc": ["body"], "type": "conflict", "msg": "Запись противоречит уже существующей"}]},
            status=409,
        )

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        status = 403 if getattr(request.user, "is_authenticated", False) or getattr(request, "auth", None) else 401
        msg = str(exc) or "Недостаточно прав"
        return api.create_response(request, {"detail": [{"loc": [], "type": "permission", "msg": msg}]}, status=status)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            {
                "detail": [
                    {
                        "loc": ["header", "Authorization"],
                        "type": "unauthorized",
                        "msg": "Нужно войти в систему или передать API-токен",
                    }
                ]
            },
            status=401,
        )

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, {"detail": [{"loc": ["path"], "type": "not_found", "msg": str(exc) or "Не найдено"}]}, status=404
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(
            request, {"detail": [{"loc": [], "type": "http", "msg": str(exc)}]}, status=exc.status_code
        )
