"""The one way a registry record is saved: permission, full_clean, history user and reason."""

from typing import Any

from django.db.models import Model

from klaster.core import access

# Fields an interface may never set directly: they are derived or stamped.
PROTECTED_FIELDS = {"id", "pk", "created", "updated", "current_status", "current_status_on", "registry_number"}


def assign(obj: Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name in PROTECTED_FIELDS:
            raise ValueError(f"{name} is derived and cannot be set directly")
        setattr(obj, name, value)


def save_record(obj: Model, *, user, action: str, reason: str = "", exclude: list[str] | None = None) -> Model:
    """Check `user` may `action` the model, validate every field and constraint, save with history."""
    access.require(user, action, obj)
    obj.full_clean(exclude=exclude)
    obj._change_reason = reason or ("Создание" if action == "add" else "Изменение")
    if user is not None:
        obj._history_user = user
    obj.save()
    return obj
