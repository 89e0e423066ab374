"""Aggregates cached with stale-while-revalidate: a busy page never waits for a recomputation.

A value is fresh for `fresh` seconds and kept for `keep`. Past `fresh`, the first request to take the
lock starts the recomputation in a background thread and, like every other request meanwhile, gets the
stale value at once; only a value never computed makes a request wait. `klaster serve` warms the busiest
keys before it starts the server.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connections

log = logging.getLogger(__name__)
refreshing: dict[str, threading.Thread] = {}  # the latest refresh of each key, for tests to wait on


def cached(key: str, compute: Callable[[], Any], *, fresh: int = 60, keep: int = 3600) -> Any:
    entry = cache.get(key)
    if entry is None:
        return _store(key, compute, keep)
    computed_at, value = entry
    if time.time() - computed_at >= fresh and cache.add(f"{key}:lock", 1, timeout=fresh):
        thread = threading.Thread(target=_refresh, args=(key, compute, keep), name=f"refresh {key}", daemon=True)
        refreshing[key] = thread
        thread.start()
    return value


def _store(key: str, compute: Callable[[], Any], keep: int) -> Any:
    value = compute()
    cache.set(key, (time.time(), value), keep)
    return value


def _refresh(key: str, compute: Callable[[], Any], keep: int) -> None:
    """Recompute off the request; on failure the stale value stays and the next stale read tries again."""
    try:
        _store(key, compute, keep)
    except Exception:
        log.exception("Не удалось пересчитать %s; показывается прежнее значение", key)
    finally:
        cache.delete(f"{key}:lock")
        connections.close_all()  # this thread's own database connection
