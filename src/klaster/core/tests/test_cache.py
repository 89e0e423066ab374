from klaster.core import cache as aggregates_cache


def test_stale_value_is_served_while_another_worker_recomputes(monkeypatch):
    calls = []
    clock = [1000.0]
    monkeypatch.setattr(aggregates_cache.time, "time", lambda: clock[0])

    def compute():
        calls.append(clock[0])
        return len(calls)

    assert aggregates_cache.cached("k", compute, fresh=60) == 1
    clock[0] += 30
    assert aggregates_cache.cached("k", compute, fresh=60) == 1  # fresh: no recomputation
    clock[0] += 60
    from django.core.cache import cache

    cache.add("k:lock", 1)  # another worker holds the lock: the stale value is served
    assert aggregates_cache.cached("k", compute, fresh=60) == 1
    cache.delete("k:lock")
    assert aggregates_cache.cached("k", compute, fresh=60) == 2  # stale and unlocked: recomputed
    assert len(calls) == 2
