"""A table's plain secondary indexes set aside while a large import fills it, and built again before it commits.

PostgreSQL keeps every index up to date row by row, with a WAL record per row and index: inserting 100 000
organisations took 2.1–2.7 s with their eleven indexes and 0.15 s without them, and building the eight plain
ones afterwards ~0.5 s (docs/benchmarks.md). So when an import adds more rows to a table than the table holds
(a first load of the registry), `set_aside` drops the table's plain indexes and `deferring` builds them again,
from their own definitions and under their own names, at the end of the same transaction.

What stays in place: primary keys, unique indexes and any index a constraint uses, so that every rule of the
data is still checked as the rows arrive. Dropping an index takes the table for the import alone: pages that
read it wait until the import ends, which is why only a load that at least doubles the table does it. DDL is
transactional on both databases: an import rolled back or killed leaves every index as it was.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import OperationalError, connection, models, transaction

FROM = 10_000  # new rows below which an import keeps the indexes (small loads keep the tables readable)
LOCK_WAIT = "500ms"  # how long to wait for readers to let go of a table; below the server's deadlock_timeout (1 s)

_dropped: ContextVar[dict[str, list[str]] | None] = ContextVar("klaster_dropped_indexes", default=None)


@contextmanager
def deferring(enabled: bool = True) -> Iterator[None]:
    """Within the block, `set_aside` may drop indexes (unless not `enabled`: a dry run keeps the tables
    readable); they are built again when the block ends. If it ends in an error the transaction is marked
    for rollback: it must never commit with an index missing."""
    dropped: dict[str, list[str]] = {}
    token = _dropped.set(dropped if enabled else None)
    try:
        yield
        _rebuild(dropped)
    except BaseException:
        if dropped and connection.in_atomic_block:
            transaction.set_rollback(True)
        raise
    finally:
        _dropped.reset(token)


def set_aside(model: type[models.Model], adding: int) -> None:
    """Before `adding` rows go into `model`'s table: drop its plain indexes if they are more than the table
    holds (only inside `deferring` and a transaction, once per table, and only if the table can be had at
    once: a page reading it, or a long report, keeps the indexes in place rather than wait or deadlock)."""
    dropped = _dropped.get()
    table = model._meta.db_table
    if dropped is None or table in dropped or adding < FROM or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT %s) AS existing', [adding])
        if cursor.fetchone()[0] >= adding:
            return
        definitions = _plain_indexes(cursor, table)
        if not definitions or not _taken(cursor, table):
            return
        # "IF NOT EXISTS": `statements` lets a caller build some earlier; the end of `deferring` skips those.
        dropped[table] = [
            re.sub(r"^CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", sql, flags=re.I) for _, sql in definitions
        ]
        for name, _ in definitions:
            cursor.execute(f"DROP INDEX {name}")


def _taken(cursor, table: str) -> bool:
    """Whether the import now holds `table` alone (PostgreSQL; SQLite's import already holds the database's
    write lock, and its readers go on seeing the last commit). Waits at most LOCK_WAIT for readers."""
    if connection.vendor != "postgresql":
        return True
    cursor.execute("SELECT current_setting('lock_timeout')")
    before = cursor.fetchone()[0]
    try:
        with transaction.atomic():  # a savepoint: a lock not granted leaves the transaction usable
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_WAIT])
            cursor.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
    except OperationalError:  # lock_timeout: someone is reading it
        return False
    return True


def statements(*tables: type[models.Model]) -> list[str]:
    """The statements that build again what `set_aside` dropped of these models' tables, for a caller that
    wants them built sooner (in a thread, while Python works); `deferring` builds whatever is still missing."""
    dropped = _dropped.get() or {}
    return [sql for model in tables for sql in dropped.get(model._meta.db_table, [])]


def _plain_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name as SQL, CREATE INDEX statement) of each index of `table` that no rule of the data depends on."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = %s::regclass", [table])
        if not cursor.fetchone()[0]:
            return []  # only the table's owner may drop its indexes
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
            "AND NOT i.indisunique AND NOT i.indisprimary AND i.indisvalid "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname",
            [table],
        )
        return cursor.fetchall()
    # SQLite: indexes made by CREATE INDEX have their statement; those of UNIQUE and PRIMARY KEY have none.
    cursor.execute(
        "SELECT '\"' || name || '\"', sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
        "AND upper(sql) NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
        [table],
    )
    return cursor.fetchall()


def _rebuild(dropped: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for statements in dropped.values():
            for sql in statements:
                cursor.execute(sql)
