"""Plain indexes set aside while a large import fills a table: dropped only when the import outnumbers the
table, built again under their own names and definitions before it commits, never lost when it fails."""

import pytest
from django.db import DatabaseError, connection, connections, transaction

from klaster.exchange import indexes
from klaster.exchange.importer import import_file
from klaster.exchange.tests.test_import import flat_rows, write_csv
from klaster.registry.models import Membership, Organization
from klaster.registry.tests import factories

pytestmark = pytest.mark.django_db


def definitions(table: str) -> dict[str, str]:
    """Index name → its statement, as the database gives it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        else:
            cursor.execute(
                "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table]
            )
        return dict(cursor.fetchall())


def everything() -> dict[str, dict[str, str]]:
    """Every index of every table: name → statement, and on PostgreSQL its object id, which a rebuilt index
    does not keep."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tablename, indexname, indexdef || ' #' || (quote_ident(indexname)::regclass::oid)::text "
                "FROM pg_indexes WHERE schemaname = current_schema()"
            )
        else:
            cursor.execute("SELECT tbl_name, name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index'")
        found: dict[str, dict[str, str]] = {}
        for table, name, sql in cursor.fetchall():
            found.setdefault(table, {})[name] = sql
        return found


def test_a_load_larger_than_the_table_builds_the_same_indexes_again(tmp_path, monkeypatch):
    before = everything()
    monkeypatch.setattr(indexes, "FROM", 1)  # every table the import adds to: sites and events too
    during = {}  # each table's indexes right after the import set them aside
    set_aside = indexes.set_aside

    def spy(model, adding):
        set_aside(model, adding)
        during[model._meta.db_table] = definitions(model._meta.db_table)

    monkeypatch.setattr(indexes, "set_aside", spy)
    inns = [factories.valid_inn() for _ in range(3)]
    run = import_file(write_csv(tmp_path / "r.csv", flat_rows(inns)), "clusters")
    assert run.status == "done", run.errors or run.message
    after = everything()
    assert {t: set(i) for t, i in after.items()} == {t: set(i) for t, i in before.items()}
    assert {t: {n: sql.split(" #")[0] for n, sql in i.items()} for t, i in after.items()} == {
        t: {n: sql.split(" #")[0] for n, sql in i.items()} for t, i in before.items()
    }
    for table in ("registry_site", "registry_historicalsite", "registry_sitestatusevent"):
        assert set(before[table]) - set(during[table]), table
    orgs = Organization._meta.db_table
    gone = set(before[orgs]) - set(during[orgs])
    # Region, kind, size, source kind, ОКВЭД2 (and on PostgreSQL the LIKE copies of ИНН, ОГРН and ОКВЭД2) …
    assert {"org_region", "org_source_kind"} <= gone
    # … while the primary key and the unique ИНН and ОГРН still checked every row.
    unique = {name for name, sql in before[orgs].items() if "UNIQUE" in sql.upper() or name.startswith("sqlite_auto")}
    assert len(unique) >= 2 and unique <= set(during[orgs])
    assert set(before[Membership._meta.db_table]) - set(during[Membership._meta.db_table])
    assert "membership_one_active" in during[Membership._meta.db_table]
    for model in (Organization, Membership):  # history tables: by record, date and user
        table = model.history.model._meta.db_table
        assert len(set(before[table]) - set(during[table])) == 3
    assert Organization.objects.filter(inn__in=inns).count() == 3
    assert Organization.objects.get(region_id="71", inn__in=inns).full_name == "ООО «Гамма»"


def _drops(tmp_path, inns) -> list[str]:
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run = import_file(write_csv(tmp_path / f"{inns[0]}.csv", flat_rows(inns)), "clusters")
    assert run.status == "done", run.errors or run.message
    return [s for s in statements if s.startswith("DROP INDEX")]


def test_a_load_smaller_than_the_table_or_than_FROM_keeps_the_indexes(tmp_path, monkeypatch):
    assert not _drops(tmp_path, [factories.valid_inn() for _ in range(3)])  # under FROM
    monkeypatch.setattr(indexes, "FROM", 2)
    for _ in range(3):  # the registry now holds more organisations than the next file adds
        factories.organization()
    drops = _drops(tmp_path, [factories.valid_inn() for _ in range(3)])
    assert not any(Organization._meta.db_table in s or "org_region" in s for s in drops)


def test_an_error_after_the_drop_rolls_back_and_keeps_every_index(monkeypatch):
    before = everything()
    monkeypatch.setattr(indexes, "FROM", 2)
    with transaction.atomic():
        try:
            with indexes.deferring():
                indexes.set_aside(Organization, 5)
                assert definitions(Organization._meta.db_table) != before[Organization._meta.db_table]
                factories.organization(full_name="ООО «Откат»")
                raise ValueError("отказ посреди импорта")
        except ValueError:
            pass  # a caller that swallows the error still cannot commit without the indexes
    assert everything() == before
    assert not Organization.objects.filter(full_name="ООО «Откат»").exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_role_that_does_not_own_the_table_keeps_its_indexes():
    table = Organization._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE klaster_test_reader")
        cursor.execute(f'GRANT SELECT ON "{table}" TO klaster_test_reader')
        cursor.execute("SET LOCAL ROLE klaster_test_reader")
        assert indexes._plain_indexes(cursor, table) == []
        cursor.execute("RESET ROLE")
        assert {name for name, _ in indexes._plain_indexes(cursor, table)} >= {"org_region", "org_source_kind"}
        transaction.set_rollback(True)


def test_an_index_the_history_thread_fails_to_build_rejects_the_whole_import(tmp_path, monkeypatch):
    before = everything()
    monkeypatch.setattr(indexes, "FROM", 1)
    built = indexes.statements

    def broken(*models):
        return [*built(*models), "CREATE INDEX broken ON no_such_table (x)"]

    monkeypatch.setattr(indexes, "statements", broken)
    inns = [factories.valid_inn() for _ in range(3)]
    with pytest.raises(DatabaseError):
        import_file(write_csv(tmp_path / "r.csv", flat_rows(inns)), "clusters")
    assert everything() == before
    assert not Organization.objects.filter(inn__in=inns).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_table_someone_is_reading_keeps_its_indexes_and_the_import_does_not_wait():
    """A page (or a long report) reading the table: the import loads it the ordinary way instead of waiting
    for the reader, and instead of making every reader after it wait or deadlock."""
    table = Organization._meta.db_table
    before = definitions(table)
    reader = connections.create_connection("default")
    try:
        with reader.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # holds the table for reading until it ends
            with transaction.atomic(), indexes.deferring():
                with connection.cursor() as own:  # were it to wait for the reader, fail instead of hanging
                    own.execute("SET LOCAL lock_timeout = '5s'")
                indexes.set_aside(Organization, 20_000)
                assert definitions(table) == before
            cursor.execute("ROLLBACK")
    finally:
        reader.close()
    with transaction.atomic(), indexes.deferring():  # nobody reading: set aside, and built again
        indexes.set_aside(Organization, 20_000)
        assert set(definitions(table)) < set(before)
    assert set(definitions(table)) == set(before)
