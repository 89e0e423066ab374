from django.core.cache import cache

from klaster.core import cache as aggregates_cache


def test_stale_value_is_served_at_once_and_refreshed_in_the_background(monkeypatch):
    calls = []
    clock = [1000.0]
    monkeypatch.setattr(aggregates_cache.time, "time", lambda: clock[0])

    def compute():
        calls.append(clock[0])
        return len(calls)

    assert aggregates_cache.cached("k", compute, fresh=60) == 1  # never computed: this request waits
    clock[0] += 30
    assert aggregates_cache.cached("k", compute, fresh=60) == 1  # fresh: no recomputation
    clock[0] += 60
    cache.add("k:lock", 1)  # another worker is refreshing it: the stale value is served, nothing started
    assert aggregates_cache.cached("k", compute, fresh=60) == 1
    assert "k" not in aggregates_cache.refreshing
    cache.delete("k:lock")
    assert aggregates_cache.cached("k", compute, fresh=60) == 1  # stale: served now, refreshed behind
    aggregates_cache.refreshing.pop("k").join(10)
    assert len(calls) == 2 and cache.get("k:lock") is None
    assert aggregates_cache.cached("k", compute, fresh=60) == 2


def test_a_failed_refresh_keeps_the_stale_value_and_frees_the_lock(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(aggregates_cache.time, "time", lambda: clock[0])
    assert aggregates_cache.cached("f", lambda: "old", fresh=60) == "old"
    clock[0] += 61

    def broken():
        raise RuntimeError("база недоступна")

    assert aggregates_cache.cached("f", broken, fresh=60) == "old"
    aggregates_cache.refreshing.pop("f").join(10)
    assert cache.get("f:lock") is None
    assert aggregates_cache.cached("f", lambda: "new", fresh=60) == "old"  # next stale read retries
    aggregates_cache.refreshing.pop("f").join(10)
    assert aggregates_cache.cached("f", lambda: "newer", fresh=60) == "new"
