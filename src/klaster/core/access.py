"""Who may read or change what. Services call `require`; interfaces never decide on their own.

Reading the public registry is open. Writing needs an authenticated user holding Django's model
permission (`registry.change_site` ...). `user=None` is the system itself (CLI, demo, synth, imports).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model

ACTIONS = {"add", "change", "view", "delete"}


def require(user, action: str, obj_or_model: Model | type[Model]) -> None:
    """Raise PermissionDenied unless `user` may do `action` on the model of `obj_or_model`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None:  # the system: management commands, loaders
        return
    meta = obj_or_model._meta
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Нужно войти в систему, чтобы изменять реестр.")
    if not user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}"):
        raise PermissionDenied(f"Нет права «{action}» для «{meta.verbose_name}».")
