"""Klaster's own simulation builder: columnar tables in, an OpenFisca Simulation out.

Never `SimulationBuilder`: with member-less group entities it allocates one group per unallocated
firm and fills inputs with `numpy.tile`, silently doubling rows (2 loans became 4 in the design
study). Here each entity gets exactly the rows it is given; foreign keys are checked."""

from dataclasses import dataclass, field

import numpy
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import Simulation

# Foreign keys and the table they point to.
FOREIGN_KEYS = {
    "membership_firm_idx": "firm",
    "membership_site_idx": "site",
    "project_site_idx": "site",
    "project_lead_idx": "firm",
    "project_application_idx": "application",
    "participation_project_idx": "project",
    "participation_firm_idx": "firm",
    "purchase_project_idx": "project",
    "purchase_buyer_idx": "firm",
    "purchase_supplier_idx": "firm",
    "purchase_application_idx": "application",
    "application_firm_idx": "firm",
    "loan_firm_idx": "firm",
}


@dataclass
class Tables:
    """Row counts per entity, ETERNITY inputs by variable name, and yearly inputs by year.

    Yearly inputs hold NaN where a year's value is unknown: OpenFisca would read an unset year as
    0, so every computed year must be set (`years` lists them)."""

    counts: dict[str, int]
    columns: dict[str, numpy.ndarray] = field(default_factory=dict)
    yearly: dict[str, dict[int, numpy.ndarray]] = field(default_factory=dict)

    def check_keys(self) -> None:
        """Indices in range, -1 for none: a bad index would silently read another row."""
        for name, target in FOREIGN_KEYS.items():
            values = self.columns.get(name)
            if values is None or len(values) == 0:
                continue
            if values.min() < -1 or values.max() >= self.counts.get(target, 0):
                raise ValueError(f"{name}: индекс вне таблицы {target}")


def build_simulation(tax_benefit_system, tables: Tables, years: list[int] | tuple[int, ...] = ()) -> Simulation:
    """A Simulation holding exactly the given rows. `years` are the years yearly variables will
    be computed for: each gets its inputs (NaN when unknown), never OpenFisca's silent 0."""
    tables.check_keys()
    populations = tax_benefit_system.instantiate_entities()
    for key, population in populations.items():
        n = int(tables.counts.get(key, 0))
        population.count = n
        population.ids = numpy.arange(n)
    simulation = Simulation(tax_benefit_system, populations)
    for name, values in tables.columns.items():
        variable = tax_benefit_system.variables[name]
        if variable.value_type.__name__ == "Enum" and not isinstance(values, EnumArray):
            values = EnumArray(numpy.asarray(values, dtype=numpy.int16), variable.possible_values)
        simulation.set_input(name, "ETERNITY", values)
    for name, by_year in tables.yearly.items():
        entity = tax_benefit_system.variables[name].entity.key
        n = int(tables.counts.get(entity, 0))
        for year in sorted(set(years) | set(by_year)):
            values = by_year.get(year)
            simulation.set_input(name, str(year), numpy.full(n, numpy.nan) if values is None else values)
    return simulation


def _entity(column: str) -> str:
    return column.split("_", 1)[0]


def subset(tables: Tables, firms: numpy.ndarray) -> tuple[Tables, dict[str, numpy.ndarray]]:
    """The rows one group of firms' answers depend on, re-indexed; also the kept original rows
    per entity (to map answers back). Sites keep only the kept firms' memberships, so site-level
    measures must be compared on whole sites, not through this cut."""
    c = tables.columns
    nf = tables.counts["firm"]
    own = numpy.zeros(nf + 1, dtype=bool)  # the last slot answers index -1 (no firm): never kept
    own[numpy.asarray(firms, dtype=numpy.int64)] = True
    own[nf] = False
    buys = numpy.nonzero(own[c["purchase_buyer_idx"]])[0]
    kept = own.copy()
    kept[c["purchase_supplier_idx"][buys]] = True  # the suppliers of their purchases come along
    kept[nf] = False
    keep = {"firm": numpy.nonzero(kept[:nf])[0].astype(numpy.int64)}
    keep["membership"] = numpy.nonzero(kept[c["membership_firm_idx"]])[0]
    keep["purchase"] = buys
    projects = numpy.unique(c["purchase_project_idx"][buys])
    keep["project"] = projects[projects >= 0]
    sites = numpy.concatenate([c["membership_site_idx"][keep["membership"]], c["project_site_idx"][keep["project"]]])
    keep["site"] = numpy.unique(sites[sites >= 0])
    in_project = numpy.zeros(tables.counts["project"] + 1, dtype=bool)
    in_project[keep["project"]] = True
    keep["participation"] = numpy.nonzero(
        in_project[c["participation_project_idx"]] & kept[c["participation_firm_idx"]]
    )[0]
    keep["application"] = numpy.nonzero(own[c["application_firm_idx"]])[0]
    keep["loan"] = numpy.nonzero(own[c["loan_firm_idx"]])[0]
    remap = {}
    for entity, rows in keep.items():
        table = numpy.full(tables.counts[entity] + 1, -1, dtype=numpy.int64)
        table[rows] = numpy.arange(len(rows))
        remap[entity] = table
    out: dict[str, numpy.ndarray] = {}
    for name, values in c.items():
        values = values[keep[_entity(name)]]
        target = FOREIGN_KEYS.get(name)
        if target:
            values = remap[target][values]
        out[name] = values
    yearly = {name: {y: v[keep["firm"]] for y, v in by_year.items()} for name, by_year in tables.yearly.items()}
    return Tables({e: len(r) for e, r in keep.items()}, out, yearly), keep
