"""Foreign keys of a bulk insert checked once for the whole statement rather than row by row (PostgreSQL).

PostgreSQL checks a foreign key with a trigger per inserted row, a query and a row lock each: about 1.6 s of
a 150 000-membership import (docs/benchmarks.md). With `session_replication_role = replica` (the setting
logical replication applies rows under) those triggers stay quiet for one statement, and `hold` then does
their work once: every row the new rows refer to must exist, and is locked FOR KEY SHARE, as the trigger locks
it, so that no other transaction can delete it or change its key before the import commits.

Only where nothing but the speed changes (`may_skip`): the database role may set that parameter (a superuser,
or `GRANT SET ON PARAMETER session_replication_role TO …` on PostgreSQL 15 and later) and may lock the
referenced tables; the table has no rules, no INSERT triggers but those foreign-key checks, and exactly the
foreign keys the Django model declares, each on one column. Anywhere else the triggers run as they always do.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connection, models

from klaster.exchange.arrays import any_of

INSERT = 1 << 2  # the bit of pg_trigger.tgtype set on triggers that an INSERT fires


def foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.db_constraint]


def may_skip(model: type[models.Model]) -> bool:
    """Whether an insert into `model`'s table may leave its foreign-key triggers to `hold` (on the calling
    thread's connection: decide before handing the statement to another thread)."""
    keys = foreign_keys(model)
    if connection.vendor != "postgresql" or not keys:
        return False
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        else:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return False
        referenced = sorted({f.related_model._meta.db_table for f in keys})
        cursor.execute(
            "SELECT bool_and(has_table_privilege(t, 'UPDATE')) FROM unnest(%s::text[]) AS t", [referenced]
        )  # FOR KEY SHARE needs it; the triggers run as the table's owner
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT relhasrules FROM pg_class WHERE oid = %s::regclass", [table])
        if cursor.fetchone()[0]:
            return False
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgtype & %s <> 0 "
            "AND tgfoid <> 'pg_catalog.\"RI_FKey_check_ins\"'::regproc",
            [table, INSERT],
        )
        if cursor.fetchone()[0]:
            return False
        cursor.execute(
            "SELECT array_agg(a.attname ORDER BY a.attname) FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
            "WHERE c.conrelid = %s::regclass AND c.contype = 'f' GROUP BY c.oid",
            [table],
        )  # one row per foreign key of the table, its columns
        in_database = sorted(tuple(row[0]) for row in cursor.fetchall())
    return in_database == sorted((f.column,) for f in keys)


def referenced(model: type[models.Model], rows: list[dict], common: dict | None = None) -> dict[str, set]:
    """The values each foreign key of `model` takes in `rows` (dicts of attnames; missing: `common`'s value,
    else the default)."""
    common = common or {}
    values = {}
    for f in foreign_keys(model):
        fallback = common[f.attname] if f.attname in common else f.get_default()
        values[f.attname] = {row.get(f.attname, fallback) for row in rows}
    return values


@contextmanager
def checked_once(cursor, model: type[models.Model], values: dict[str, set], skip: bool) -> Iterator[None]:
    """The block inserts into `model`'s table; with `skip` (see `may_skip`) its foreign-key triggers are
    quiet and `hold` checks `values` (attname → values the new rows hold) when it ends. `cursor`: Django's or
    psycopg's, on the connection the block writes on; nothing else may write on it meanwhile."""
    if not skip:
        yield
        return
    cursor.execute("SELECT current_setting('session_replication_role')")
    before = cursor.fetchone()[0]
    cursor.execute("SET LOCAL session_replication_role = replica")
    yield  # if the block fails, the rollback that follows undoes the setting too
    cursor.execute("SELECT set_config('session_replication_role', %s, true)", [before])
    hold(cursor, model, values)


def hold(cursor, model: type[models.Model], values: dict[str, set]) -> None:
    """What the foreign-key triggers would have done, once per key: the referenced rows exist, and stay.
    `values` names every foreign key of the model (a KeyError otherwise: no key goes unchecked). The caller
    rolls the transaction back on the IntegrityError, as the database would after a trigger's refusal."""
    for field in foreign_keys(model):
        wanted = {v for v in values[field.attname] if v is not None}
        if not wanted:
            continue
        table, column = field.related_model._meta.db_table, field.target_field.column
        placeholder, param = any_of(sorted(wanted))
        cursor.execute(
            f'SELECT "{column}" FROM ONLY "{table}" WHERE "{column}" = ANY({placeholder}) FOR KEY SHARE', [param]
        )
        missing = wanted - {row[0] for row in cursor.fetchall()}
        if missing:
            shown = ", ".join(str(v) for v in sorted(missing)[:5])
            raise IntegrityError(
                f"{model._meta.verbose_name}: поле «{field.verbose_name}» ссылается на записи, которых нет "
                f"в таблице {table}: {shown}"
            )
