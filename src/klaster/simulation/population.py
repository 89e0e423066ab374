"""A population: the registry's tables as polars frames, from a Parquet directory (`klaster synth --out`,
schema in docs/population.md) or from the database (`klaster.registry.population`).

Ids are whatever the source uses; `klaster.simulation.tables` maps them to row numbers, so a directory
written by another tool with non-contiguous ids loads the same way.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

# Every frame the simulation reads and the columns it needs in it.
REQUIRED: dict[str, tuple[str, ...]] = {
    "firms": ("id", "region", "okved", "size", "technological_company", "industrial_producer", "spic_version",
              "spic_since", "spic_until", "weight"),
    "firm_years": ("firm", "year", "headcount", "revenue_rub", "payroll_rub"),
    "sites": ("id", "kind", "name", "functional_dependence_share", "special_territory_participant_share"),
    "site_regions": ("site", "region"),
    "status_events": ("site", "status", "on"),
    "memberships": ("firm", "site", "role", "producing", "has_contract_with_participant", "date_from"),
    "projects": ("id", "site", "import_substitution", "stage"),
    "project_participants": ("project", "firm", "role"),
    "project_costs": ("project", "cost_type", "amount_rub"),
    "purchases": ("project", "buyer", "supplier", "amount_rub", "date", "documented"),
    "loans": ("id", "firm", "programme", "amount_rub", "term_years", "signed_on", "purpose", "property_area_m2",
              "property_cost_rub", "property_region", "project_cost_rub", "investment_phase_years",
              "priority_product", "lender_authorised"),
}  # fmt: skip


class PopulationError(ValueError):
    """A population that cannot be read; the message is Russian and names the file and column."""


@dataclass
class Population:
    frames: dict[str, pl.DataFrame]
    source: str  # "registry" or the directory path

    @property
    def firms(self) -> pl.DataFrame:
        return self.frames["firms"]

    def counts(self) -> dict[str, int]:
        return {name: frame.height for name, frame in self.frames.items()}


def check(frames: dict[str, pl.DataFrame], where: str) -> None:
    for name, columns in REQUIRED.items():
        if name not in frames:
            raise PopulationError(f"{where}: нет таблицы {name}")
        missing = [c for c in columns if c not in frames[name].columns]
        if missing:
            raise PopulationError(f"{where}: в таблице {name} нет столбцов {', '.join(missing)}")


def from_directory(path: str | Path) -> Population:
    """Read a population directory; a missing file or column is a clear error, never a silent zero."""
    root = Path(path)
    if not root.is_dir():
        raise PopulationError(f"Каталог популяции «{root}» не найден")
    frames = {}
    for name in REQUIRED:
        file = root / f"{name}.parquet"
        if not file.is_file():
            raise PopulationError(f"{root}: нет файла {name}.parquet (схема — docs/population.md)")
        try:
            frames[name] = pl.read_parquet(file)
        except Exception as exc:  # polars raises several error types for a damaged file
            raise PopulationError(f"{file}: файл не читается как Parquet ({exc.__class__.__name__})") from None
    check(frames, str(root))
    meta = root / "population.json"
    if meta.is_file():
        version = json.loads(meta.read_text(encoding="utf-8")).get("schema_version", 1)
        if version != 1:
            raise PopulationError(f"{root}: версия схемы {version}, поддерживается 1")
    return Population(frames, str(root))
