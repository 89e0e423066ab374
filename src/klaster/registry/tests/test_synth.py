import polars as pl
import pytest
from polars.testing import assert_frame_equal
from stdnum.ru import inn, ogrn

from klaster.core.models import SourceKind
from klaster.registry.demo import load_demo
from klaster.registry.models import JointProject, Loan, Membership, Organization, Site, SiteStatusEvent
from klaster.registry.synth import generate
from klaster.registry.synth.database import SynthConflict, purge_synthetic, write_database
from klaster.registry.synth.parquet import write_parquet


def test_generation_is_deterministic_for_a_seed():
    a, b = generate(sites=40, organizations=400, seed=7), generate(sites=40, organizations=400, seed=7)
    for name in a.tables:
        assert_frame_equal(a.tables[name], b.tables[name])
    c = generate(sites=40, organizations=400, seed=8)
    assert not a.tables["firms"]["region"].equals(c.tables["firms"]["region"])


def test_identifiers_are_valid_and_unique():
    firms = generate(sites=10, organizations=500, seed=3).tables["firms"]
    assert all(inn.is_valid(x) for x in firms["inn"]) and firms["inn"].n_unique() == 500
    assert all(ogrn.is_valid(x) for x in firms["ogrn"]) and firms["ogrn"].n_unique() == 500


def test_calibration_meets_the_reported_counts():
    population = generate(sites=242, organizations=3000, seed=1)  # ≈109 clusters: scale ≈ 1
    lines = {line.what: line for line in population.calibration}
    for what in (
        "Кластеров в реестре на 29.11.2018",
        "Кластеров в реестре на 29.05.2024",
        "Совместных проектов с началом в 2024 г.",
    ):
        assert lines[what].target == lines[what].achieved
    clusters = population.tables["sites"].filter(pl.col("kind") == "industrial_cluster")
    members = population.tables["memberships"].filter(
        pl.col("site").is_in(clusters["id"].to_list()) & pl.col("role").is_in(["anchor", "participant"])
    )
    assert members.group_by("site").len()["len"].min() >= 10


def test_parquet_round_trip(tmp_path):
    population = generate(sites=20, organizations=200, seed=5)
    write_parquet(population, tmp_path)
    for name, frame in population.tables.items():
        assert_frame_equal(pl.read_parquet(tmp_path / f"{name}.parquet"), frame)
    assert (tmp_path / "population.json").exists()


@pytest.mark.django_db
def test_database_write_is_idempotent_and_purge_removes_only_synthetic():
    load_demo()
    real_orgs = Organization.objects.count()
    population = generate(sites=30, organizations=300, seed=2)
    counts = write_database(population)
    assert counts["firms"] == 300
    assert Organization.objects.filter(source_kind=SourceKind.SYNTHETIC).count() == 300
    assert Site.objects.filter(source_kind=SourceKind.SYNTHETIC).count() == 30
    assert (
        Membership.objects.filter(source_kind=SourceKind.SYNTHETIC).count() == population.tables["memberships"].height
    )
    assert JointProject.objects.filter(source_kind=SourceKind.SYNTHETIC).count() == population.tables["projects"].height
    assert Loan.objects.count() == population.tables["loans"].height
    assert Organization.history.filter(source_kind=SourceKind.SYNTHETIC).count() == 300
    # The denormalised current status agrees with the event history.
    cluster = Site.objects.filter(current_status="entered").first()
    last = SiteStatusEvent.objects.filter(site=cluster).order_by("on").last()
    assert (cluster.current_status, cluster.current_status_on) == (last.status, last.on)
    assert write_database(population) == {}  # same parameters again: nothing written
    with pytest.raises(SynthConflict):
        write_database(generate(sites=5, organizations=50, seed=9))
    assert purge_synthetic() > 0
    assert Organization.objects.count() == real_orgs
    assert not Organization.history.filter(source_kind=SourceKind.SYNTHETIC).exists()
    assert Site.objects.filter(name="ОЭЗ «Калуга»").exists()
