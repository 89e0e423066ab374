"""New records and their history rows written in bulk: COPY on PostgreSQL, one `executemany` on SQLite.

Django's `bulk_create` spends about 40 µs a row in Python compiling SQL; a registry file of 150 000 rows
makes half a million records (organisations, memberships, a history row for each, search documents), so
an import writes them here instead. The rows are the same the ORM would write: every concrete field of
the model (defaults for what a row does not give), `created`/`updated` stamped with one time for the whole
import, and a history row ('+', the import's reason and user) per record, as `simple_history` writes it.
Ids are taken before writing (a block of the sequence on PostgreSQL; above the table's highest id on SQLite,
whose write lock the import already holds), so the callers can link the new records at once.
"""

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from datetime import datetime

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from klaster.exchange import copytext, indexes, references

HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user_id")
Prepare = Callable[[object], object] | None
# Field classes whose Python value is the database value (subclasses may convert: they go through Django).
PLAIN = {
    models.CharField, models.TextField, models.BooleanField, models.ForeignKey, models.AutoField,
    models.BigAutoField, models.IntegerField, models.BigIntegerField, models.PositiveIntegerField,
}  # fmt: skip


def _preparer(field: models.Field) -> Prepare:
    """How a Python value of `field` becomes a database value (None: as it is)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if type(field) in PLAIN:
        return None
    return lambda v: field.get_db_prep_save(v, connection)


def stamped(field: models.Field) -> bool:
    """Whether the field takes the time of writing (`auto_now`, `auto_now_add`): the import's time here."""
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh, consecutive primary keys of `model`'s table, kept until the import commits.

    On PostgreSQL the table is locked against other writers first (reads go on; an edit by hand waits
    until the import commits, seconds), so one `setval` can take the whole block: nothing else can draw
    from the sequence in between. One `nextval` per row cost ~1 s for 250 000 rows. On SQLite the
    import already holds the database's write lock.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
                [table, pk, table, pk, count],
            )
            last = cursor.fetchone()[0]
            return list(range(last - count + 1, last + 1))
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def _names(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _write(model: type[models.Model], fields: list, rows: Iterable[dict], now: datetime, common: dict) -> None:
    """Rows (dicts of attnames; the rest from `common`, else at their defaults) into `fields`' columns. They
    may come from a generator: on PostgreSQL the server stores what was sent while Python makes the next rows.
    Errors are Django's (`IntegrityError`, `DataError` …), as from any other statement."""
    position, prepare, defaults = _layout(fields, now, common)
    table, names = model._meta.db_table, _names([f.column for f in fields])
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            line = copytext.line_maker(defaults, position, prepare, copytext.Renderer(cursor.cursor.connection))
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                copytext.send(copy, (line(row) for row in rows))
            return
        marks = ", ".join(["%s"] * len(fields))
        values = []
        for row in rows:
            record = defaults.copy()
            for attname, value in row.items():
                prep = prepare.get(attname)
                record[position[attname]] = value if prep is None or value is None else prep(value)
            values.append(record)
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)


def _layout(fields: list, now: datetime, common: dict) -> tuple[dict[str, int], dict[str, Callable], list]:
    """(attname → column index, attname → its preparer, each column's database value where a row gives none:
    `common`'s, else the field's default)."""
    position = {f.attname: i for i, f in enumerate(fields)}
    prepare = {f.attname: p for f in fields if (p := _preparer(f)) is not None}
    defaults = []
    for field in fields:
        default = common[field.attname] if field.attname in common else now if stamped(field) else field.get_default()
        defaults.append(default if field.attname not in prepare or default is None else prepare[field.attname](default))
    return position, prepare, defaults


def insert(
    model: type[models.Model],
    rows: list[dict],
    *,
    now: datetime,
    common: dict | None = None,
) -> list[int]:
    """Insert new records of `model`, one dict of field values (attnames) each, the rest from `common` (values
    all rows share, formatted once), else at their defaults. Returns their ids, in the order of `rows`; their
    history is `history_meanwhile`'s.

    No model instance is built: at 20 µs each that alone would cost seconds for a large file."""
    if not rows:
        return []
    indexes.set_aside(model, len(rows))
    ids = allocate_ids(model, len(rows))
    pk = model._meta.pk
    fields = [pk] + [f for f in model._meta.concrete_fields if f is not pk]
    for record_id, row in zip(ids, rows, strict=True):
        row[pk.attname] = record_id
    common = common or {}
    skip = references.may_skip(model)
    values = references.referenced(model, rows, common) if skip else {}
    with _refused_rolls_back(), connection.cursor() as cursor, references.checked_once(cursor, model, values, skip):
        _write(model, fields, rows, now, common)
    return ids


@contextmanager
def _refused_rolls_back() -> Iterator[None]:
    """A reference `references.hold` finds missing leaves the transaction to be rolled back, as a trigger's
    refusal would (the database then refuses to commit it), even if a caller catches the error."""
    try:
        yield
    except IntegrityError:
        if connection.in_atomic_block:
            transaction.set_rollback(True)
        raise


def append(model: type[models.Model], rows: Iterable[dict], *, now: datetime) -> None:
    """Insert records that keep no history and whose ids nobody needs (search documents): `rows` may
    be a generator, so making them overlaps with the database storing them."""
    if isinstance(rows, Sized):
        indexes.set_aside(model, len(rows))
    pk = model._meta.pk
    _write(model, [f for f in model._meta.concrete_fields if f is not pk], rows, now, {})


def _history_sql(model: type[models.Model], ids: list[int], now: datetime, reason: str, user) -> tuple[str, list]:
    """SQL that writes one '+' history record per new row, copied by the database from the rows."""
    history_model = model.history.model
    own = {f.attname: f.column for f in history_model._meta.concrete_fields}
    kept = [f for f in model._meta.concrete_fields if f.attname in own]
    targets = [own[f.attname] for f in kept] + [history_model._meta.get_field(n).column for n in HISTORY_FIELDS]
    pk = model._meta.pk.column
    # One contiguous block of ids, all of them new (`allocate_ids`): a list of 150 000 ids would be quoted
    # one by one in Python (~0.8 s).
    if ids != list(range(ids[0], ids[-1] + 1)):
        raise ValueError("history_meanwhile: the ids are not one block from allocate_ids")
    where, where_params = f'"{pk}" BETWEEN %s AND %s', [ids[0], ids[-1]]
    sql = (
        f'INSERT INTO "{history_model._meta.db_table}" ({_names(targets)}) '
        f'SELECT {_names([f.column for f in kept])}, %s, %s, %s, %s FROM "{model._meta.db_table}" WHERE {where}'
    )
    return sql, [connection.ops.adapt_datetimefield_value(now), reason, "+", getattr(user, "pk", None), *where_params]


@contextmanager
def history_meanwhile(
    model: type[models.Model], ids: list[int], *, now: datetime, reason: str, user, then: Sequence[str] = ()
) -> Iterator[None]:
    """Write the history of new rows (`insert`) while the block does Python work; then run `then`
    (statements without parameters: indexes to build, `indexes.statements`).

    On PostgreSQL the statements run in a thread on the same connection (psycopg serialises any query
    the block makes), so the server copies rows on one core while Python works on the other; on
    SQLite they simply run first. An error in either is raised after both have finished. The block may read
    but must not write: the thread's statement may run with the foreign-key triggers quiet (`references`)."""
    if ids:
        indexes.set_aside(model.history.model, len(ids))
        then = [*then, *indexes.statements(model.history.model)]
    if not ids or connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            if ids:
                cursor.execute(*_history_sql(model, ids, now, reason, user))
            for statement in then:
                cursor.execute(statement)
        yield
        return
    sql, params = _history_sql(model, ids, now, reason, user)
    history = model.history.model
    values = {"history_user_id": {getattr(user, "pk", None)}}
    keys = {f.attname for f in references.foreign_keys(history)}
    skip = keys == set(values) and references.may_skip(history)
    raw = connection.connection
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with raw.cursor() as cursor:
                with references.checked_once(cursor, history, values, skip):
                    cursor.execute(sql, params)
                for statement in then:
                    cursor.execute(statement)
        except BaseException as exc:  # re-raised in the caller's thread
            failures.append(exc)

    worker = threading.Thread(target=run, name="klaster-history")
    worker.start()
    try:
        yield
    finally:
        worker.join()
    if failures:
        with _refused_rolls_back(), connection.wrap_database_errors:
            raise failures[0]


def history(model: type[models.Model], ids: list[int], *, now: datetime, reason: str, user) -> None:
    """The history of new rows (`insert`) when there is nothing to do meanwhile (a thousand events: milliseconds)."""
    with history_meanwhile(model, ids, now=now, reason=reason, user=user):
        pass


def copy_m2m_history(model: type[models.Model], ids: list[int], now: datetime) -> None:
    """The many-to-many rows of new records (`ids`, one block) into their history tables (simple_history's
    `m2m_fields`), each linked to the record's '+' history record of `now`, which `history_meanwhile` wrote."""
    if not ids:
        return
    history = model.history.model
    table, pk = history._meta.db_table, model._meta.pk.column
    for field in history._history_m2m_fields:
        through = field.remote_field.through
        m2m = apps.get_model(history._meta.app_label, f"{history.__name__}_{field.name}")
        own = [f for f in m2m._meta.concrete_fields if not f.primary_key and f.name != "history"]
        source = [through._meta.get_field(f.name).column for f in own]
        link = through._meta.get_field(field.m2m_field_name()).column
        picked = ", ".join(f't."{c}"' for c in source)
        sql = (
            f'INSERT INTO "{m2m._meta.db_table}" ({_names([f.column for f in own])}, "history_id") '
            f'SELECT {picked}, h."history_id" FROM "{through._meta.db_table}" t '
            f'JOIN "{table}" h ON h."{pk}" = t."{link}" AND h."history_type" = %s AND h."history_date" = %s '
            f'WHERE t."{link}" BETWEEN %s AND %s'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, ["+", connection.ops.adapt_datetimefield_value(now), ids[0], ids[-1]])
