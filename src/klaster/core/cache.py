"""Aggregates cached with stale-while-revalidate: a busy page never waits for a recomputation.

A value is fresh for `fresh` seconds and kept for `keep`. Past `fresh`, the first request to take the
lock recomputes while the others keep serving the stale value; only a value never computed makes a
request wait. `klaster serve` warms the busiest keys before it starts the server.
"""

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache


def cached(key: str, compute: Callable[[], Any], *, fresh: int = 60, keep: int = 3600) -> Any:
    entry = cache.get(key)
    now = time.time()
    if entry is not None:
        computed_at, value = entry
        if now - computed_at < fresh or not cache.add(f"{key}:lock", 1, timeout=fresh):
            return value  # fresh, or another worker is already recomputing it
    value = compute()
    cache.set(key, (time.time(), value), keep)
    cache.delete(f"{key}:lock")
    return value
