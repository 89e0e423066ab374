"""The Dask engine: the same chunks as the local engine, mapped over a Dask cluster.

Rule systems are not sent over the wire (OpenFisca reforms are classes built at run time); each worker
rebuilds the system from the scenario references, once, and keeps it. The population is scattered to
every worker once. Totals equal the local engine's to the kopeck: the chunks and the integer sums are
the same, only where they run differs.
"""

import pickle
from collections.abc import Callable

import polars as pl

from klaster.rules.reforms.scenario import Scenario
from klaster.simulation.engine import chunks, combine, run_chunk
from klaster.simulation.params import RunParams
from klaster.simulation.tables import Prepared

Progress = Callable[[float, str], None]
_systems: dict[bytes, object] = {}


def _system(refs: tuple, extra: Scenario | None):
    key = pickle.dumps((refs, extra))
    if key not in _systems:
        from klaster.simulation.systems import stack

        _systems[key] = stack(list(refs), extra)
    return _systems[key]


def _task(refs: tuple, extra: Scenario | None, prep: Prepared, params: RunParams, chunk) -> pl.DataFrame:
    return run_chunk(_system(refs, extra), prep, params, chunk)


def run_dask(
    refs: list,
    prep: Prepared,
    params: RunParams,
    scheduler: str | None = None,
    progress: Progress | None = None,
    extra: Scenario | None = None,
) -> pl.DataFrame:
    """Run every chunk on the cluster at `scheduler`, or on a LocalCluster of two worker processes."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        shared = client.scatter(prep, broadcast=True)
        work = chunks(prep, params)
        futures = [client.submit(_task, tuple(refs), extra, shared, params, c, pure=False) for c in work]
        parts = []
        for i, future in enumerate(as_completed(futures)):
            parts.append(future.result())
            if progress:
                progress((i + 1) / len(work), f"Dask: порция {i + 1} из {len(work)}")
        return combine(parts)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
