"""Foreign keys checked once per bulk insert (PostgreSQL): a missing reference is refused and nothing stays,
referenced rows are locked as the per-row triggers lock them, the triggers are back after the insert, and
the per-row triggers stay on for a role without the privilege or a table with triggers of its own."""

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from klaster.exchange import bulk, references
from klaster.registry.models import Membership, Organization
from klaster.registry.tests import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or connection.settings_dict["USER"] != "postgres",
    reason="PostgreSQL's triggers, as the superuser of the test database (creates roles, triggers)",
)


def _rows(*pairs) -> list[dict]:
    return [{"organization_id": org, "site_id": site, "role": "participant", "source": "тест"} for org, site in pairs]


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_missing_reference_is_refused_and_nothing_stays():
    org, site = factories.organization(), factories.site()
    assert references.may_skip(Membership)  # the test database's role is a superuser: the fast path
    with pytest.raises(IntegrityError, match=r"«организация» ссылается на записи, которых нет .*: 987654321"):
        with transaction.atomic():
            bulk.insert(Membership, _rows((org.pk, site.pk), (987654321, site.pk)), now=timezone.now())
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_after_an_insert_the_triggers_check_every_row_again():
    org, site = factories.organization(), factories.site()
    bulk.insert(Membership, _rows((org.pk, site.pk)), now=timezone.now())
    assert _setting() == "origin" and Membership.objects.get().organization == org
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:  # not through bulk: the trigger refuses it
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "INSERT INTO registry_membership (created, updated, source_kind, source, role, agreement_number,"
                " organization_id, site_id) VALUES (now(), now(), 'manual', '', 'participant', '', 987654321, %s)",
                [site.pk],
            )


@pytest.mark.django_db(transaction=True)
def test_referenced_rows_are_locked_until_the_import_ends():
    org, site = factories.organization(), factories.site()
    s = connection.settings_dict
    other = psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
        autocommit=True,
    )
    try:
        with transaction.atomic():
            bulk.insert(Membership, _rows((org.pk, site.pk)), now=timezone.now())
            other.execute("SET lock_timeout = '300ms'")
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("DELETE FROM registry_site WHERE id = %s", [site.pk])
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("UPDATE registry_organization SET id = id + 1000000 WHERE id = %s", [org.pk])
        assert Membership.objects.count() == 1  # committed; the test database is emptied afterwards
    finally:
        other.close()


@pytest.mark.django_db
def test_a_role_without_the_privilege_keeps_the_triggers():
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE klaster_plain NOSUPERUSER")
        cursor.execute("SET ROLE klaster_plain")
        try:
            assert not references.may_skip(Membership)
        finally:
            cursor.execute("RESET ROLE")
        if connection.pg_version >= 150000:
            cursor.execute("GRANT SET ON PARAMETER session_replication_role TO klaster_plain")
            for may_lock in (False, True):  # FOR KEY SHARE needs UPDATE on the referenced tables
                if may_lock:
                    cursor.execute("GRANT UPDATE ON registry_organization, registry_site TO klaster_plain")
                cursor.execute("SET ROLE klaster_plain")
                try:
                    assert references.may_skip(Membership) is may_lock
                finally:
                    cursor.execute("RESET ROLE")


def _may_skip_after(*statements: str) -> bool:
    """Whether an insert into memberships may still quiet its triggers after `statements` changed the table."""
    assert references.may_skip(Membership)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return references.may_skip(Membership)


@pytest.mark.django_db
def test_a_table_with_triggers_of_its_own_keeps_them():
    assert not _may_skip_after(
        "CREATE FUNCTION klaster_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'отказано триггером'; END $$",
        "CREATE TRIGGER klaster_refuse BEFORE INSERT ON registry_membership "
        "FOR EACH ROW EXECUTE FUNCTION klaster_refuse()",
    )
    org, site = factories.organization(), factories.site()
    with pytest.raises(Exception, match="отказано триггером"), transaction.atomic():
        bulk.insert(Membership, _rows((org.pk, site.pk)), now=timezone.now())


@pytest.mark.django_db
def test_every_foreign_key_must_be_given_values():
    with connection.cursor() as cursor, pytest.raises(KeyError):
        references.hold(cursor, Organization, {"region_id": {"40"}})  # okved_id left out


@pytest.mark.django_db
def test_a_history_user_that_does_not_exist_is_refused():
    """The history copy runs in a thread, its triggers quiet as well: its user is checked the same way."""
    org = factories.organization()
    ghost = type("Ghost", (), {"pk": 987654321})()
    with pytest.raises(IntegrityError, match="987654321"), transaction.atomic():
        with bulk.history_meanwhile(Organization, [org.pk], now=timezone.now(), reason="тест", user=ghost):
            pass
    assert org.history.count() == 1  # the one record `organization_create` wrote


@pytest.mark.django_db
def test_a_foreign_key_the_model_does_not_declare_keeps_the_triggers():
    assert not _may_skip_after(
        "ALTER TABLE registry_membership ADD CONSTRAINT klaster_extra "
        "FOREIGN KEY (site_id) REFERENCES registry_site (id)"
    )
