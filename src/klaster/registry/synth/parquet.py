"""Write a synthetic population as a directory of Parquet files (schema in docs/population.md)."""

import json
from pathlib import Path

from klaster.registry.synth import SCHEMA_VERSION, Population


def write_parquet(population: Population, out: Path) -> list[Path]:
    """One file per table plus `population.json` with the seed, row counts and calibration."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in population.tables.items():
        path = out / f"{name}.parquet"
        frame.write_parquet(path, compression="zstd", statistics=True)
        paths.append(path)
    meta = {
        "schema_version": SCHEMA_VERSION,
        "seed": population.seed,
        "source": population.tag,
        "rows": {name: frame.height for name, frame in population.tables.items()},
        "calibration": [line.__dict__ for line in population.calibration],
    }
    meta_path = out / "population.json"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return [*paths, meta_path]
