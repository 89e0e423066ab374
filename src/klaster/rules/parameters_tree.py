"""The parameter tree as data for the API and the docs: paths, descriptions, units, dated values."""

from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode

from klaster.rules.system import baseline


def _walk(node, prefix: str = ""):
    for name, child in node.children.items():
        path = f"{prefix}{name}"
        if isinstance(child, ParameterNode):
            yield from _walk(child, f"{path}.")
        elif isinstance(child, Parameter):
            yield path, child


def _references(meta: dict) -> str:
    refs = meta.get("reference") or []
    return "; ".join(r.get("title", "") if isinstance(r, dict) else str(r) for r in refs)


def value_entry(item) -> dict[str, Any]:
    meta = item.metadata
    return {
        "since": item.instant_str,
        "value": item.value,
        "confidence": meta.get("confidence"),
        "reference": _references(meta),
        "source": meta.get("source"),
        "notes": meta.get("notes"),
        "assumption": bool(meta.get("assumption", False)),
        "alternative_value": meta.get("alternative_value"),
    }


def parameter_list(tbs=None) -> list[dict[str, Any]]:
    """Every parameter with its latest dated value (which may be null: unverified)."""
    out = []
    for path, param in _walk((tbs or baseline()).parameters):
        latest = max(param.values_list, key=lambda v: v.instant_str)
        out.append(
            {
                "path": path,
                "description": param.description,
                "unit": param.metadata.get("unit"),
                "latest": value_entry(latest),
            }
        )
    return out


def parameter_history(path: str, tbs=None) -> dict[str, Any] | None:
    """A parameter's full history, newest first; None for an unknown path."""
    params = dict(_walk((tbs or baseline()).parameters))
    param = params.get(path)
    if param is None:
        return None
    values = sorted(param.values_list, key=lambda v: v.instant_str, reverse=True)
    return {
        "path": path,
        "description": param.description,
        "unit": param.metadata.get("unit"),
        "values": [value_entry(v) for v in values],
    }
