"""Russian-aware search: pymorphy3 lemmas of every site, organisation and project, in one index.

«кластеры фармацевтические» finds «Фармацевтический кластер», «Калуге» and «калужские» find what lies in
«Калужская область»: documents and queries are both reduced to lemmas, and each document also carries the
lemmas of its regions' names and administrative centres. The index is FTS5 on SQLite and a GIN-indexed
tsvector ('simple' configuration, so no second stemming) on PostgreSQL, over the same lemma text: a query
matches a document when every query lemma is among the document's lemmas, on both databases alike.

An organisation's ИНН and ОГРН are not in its document: each would be a key of its own in the index for every
organisation (a third of the GIN index's build time in a large import), and the organisations' unique indexes
find them already. A query word that has the length of one (10 or 12 digits: ИНН; 13 or 15: ОГРН) is matched
there, so a number of that length in a name is found only through the list's digits search (by prefix).
"""

import re
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)
KINDS = ("site", "organization", "project")


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    word = word.lower().replace("ё", "е")
    if word.isdigit() or not re.search("[а-я]", word):
        return word
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


def lemmas(text: str) -> list[str]:
    """Lemmas of the words of `text`, in order, without repeats."""
    return list(dict.fromkeys(lemma(w) for w in WORD.findall(text or "")))


def region_terms(region) -> str:
    return " ".join(filter(None, [region.name, region.name_with_type, region.capital]))


def site_words(site) -> str:
    """A site's own words, before its regions' (the bulk import adds those from lemmas worked out once)."""
    return " ".join([site.name, site.specialisation, site.registry_number, site.get_kind_display()])


def organization_words(full_name: str, short_name: str) -> str:
    """An organisation's own words, before its region's (the bulk import adds those from lemmas worked out once)."""
    return " ".join(filter(None, [full_name, short_name]))


def document_text(kind: str, obj) -> tuple[str, str]:
    """(title, text to lemmatise) of a registry object; region names make place words match."""
    if kind == "site":
        regions = " ".join(region_terms(r) for r in obj.regions.all())
        return obj.name, " ".join([site_words(obj), regions])
    if kind == "organization":
        region = region_terms(obj.region) if obj.region_id else ""
        return obj.name, " ".join(filter(None, [organization_words(obj.full_name, obj.short_name), region]))
    if kind == "project":
        return obj.title, " ".join(filter(None, [obj.title, obj.product, obj.site.name]))
    raise ValueError(kind)


def index_objects(kind: str, objects: Iterable) -> int:
    """Write or refresh the documents of `objects` (one upsert per batch)."""
    from klaster.registry.models import SearchDocument

    docs = []
    for obj in objects:
        title, text = document_text(kind, obj)
        docs.append(SearchDocument(kind=kind, object_id=obj.pk, title=title[:500], lemmas=" ".join(lemmas(text))))
    with transaction.atomic():
        for start in range(0, len(docs), 2000):
            SearchDocument.objects.bulk_create(
                docs[start : start + 2000],
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=["title", "lemmas"],
            )
    return len(docs)


def reindex(kinds: Iterable[str] = KINDS, ids: dict[str, list[int]] | None = None) -> int:
    """Rebuild the documents of the given kinds (all rows, or only `ids[kind]`)."""
    from klaster.registry.models import JointProject, Organization, Site

    querysets = {
        "site": Site.objects.prefetch_related("regions"),
        "organization": Organization.objects.select_related("region"),
        "project": JointProject.objects.select_related("site"),
    }
    total = 0
    for kind in kinds:
        qs = querysets[kind]
        if ids is not None:
            qs = qs.filter(pk__in=ids.get(kind, []))
        for start in range(0, qs.count(), 5000):
            total += index_objects(kind, list(qs.order_by("pk")[start : start + 5000]))
    return total


CODE_COLUMNS = {10: "inn", 12: "inn", 13: "ogrn", 15: "ogrn"}  # ИНН of a company / an entrepreneur, ОГРН / ОГРНИП


def _tsquery(terms: list[str]) -> str:
    return " & ".join("'" + t.replace("'", "").replace("\\", "") + "'" for t in terms)


def _match_sql(terms: list[str], kind: str) -> tuple[str, list[str]]:
    """SQL selecting the object ids of `kind` that hold every term (see the module docstring)."""
    codes = [t for t in terms if kind == "organization" and t.isdigit() and len(t) in CODE_COLUMNS]
    if codes:
        return _by_codes(codes, [t for t in terms if t not in codes])
    if connection.vendor == "sqlite":
        match = " AND ".join('"' + t.replace('"', "") + '"' for t in terms)
        return (
            "SELECT d.object_id FROM registry_searchdocument d JOIN registry_searchfts f ON f.rowid = d.id "
            "WHERE registry_searchfts MATCH %s AND d.kind = %s",
            [match, kind],
        )
    if connection.vendor == "postgresql":
        tsquery = _tsquery(terms)
        # OFFSET 0 keeps the planner from folding the match into an id-ordered scan of every document
        # (it misjudges how rare a lemma is and ran to_tsvector on 100 000 rows for one hit); the GIN
        # index finds the matches first.
        return (
            "SELECT object_id FROM (SELECT object_id, kind FROM registry_searchdocument "
            "WHERE to_tsvector('simple', lemmas) @@ to_tsquery('simple', %s) OFFSET 0) AS matched WHERE kind = %s",
            [tsquery, kind],
        )
    raise NotImplementedError(f"search on {connection.vendor}")


def _by_codes(codes: list[str], words: list[str]) -> tuple[str, list[str]]:
    """Organisations holding each ИНН or ОГРН of `codes` (their unique indexes: one row at most) and, on it,
    every word. On PostgreSQL the words are checked on that row's document alone: a common word beside an
    ИНН («ооо 7701234567») would otherwise fetch every document that holds it."""
    from klaster.registry.models import Organization, SearchDocument

    table, documents = Organization._meta.db_table, SearchDocument._meta.db_table
    sql = f'SELECT o.id FROM "{table}" o WHERE ' + " AND ".join(f"o.{CODE_COLUMNS[len(c)]} = %s" for c in codes)
    params = list(codes)
    if not words:
        return sql, params
    if connection.vendor == "postgresql":
        sql += (
            f' AND EXISTS (SELECT 1 FROM "{documents}" d WHERE d.kind = %s AND d.object_id = o.id '
            "AND to_tsvector('simple', d.lemmas) @@ to_tsquery('simple', %s))"
        )
        return sql, [*params, "organization", _tsquery(words)]
    inner, inner_params = _match_sql(words, "organization")
    return f"{sql} AND o.id IN ({inner})", [*params, *inner_params]


SMALL_MATCH = 2000


def filter_queryset(qs: QuerySet, query: str, kind: str) -> QuerySet:
    """`qs` narrowed to the objects matching `query`; unchanged if no words.

    A rare lemma is passed as its list of ids: as a subquery, PostgreSQL misjudges how few rows match and
    walks every row of the list in id order (600 ms for one hit among 100 000); a common one stays a subquery."""
    terms = lemmas(query)
    if not terms:
        return qs
    sql, params = _match_sql(terms, kind)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {SMALL_MATCH + 1}", params)
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) <= SMALL_MATCH:
        return qs.filter(pk__in=ids)
    return qs.filter(pk__in=RawSQL(sql, params))


def filter_organizations(qs: QuerySet, query: str) -> QuerySet:
    """Organisations of `qs` matching `query`: a number of four digits or more is the start of an ИНН or ОГРН
    (what users paste from a letter or type until the list is short), anything else goes through the lemmas."""
    query = query.strip()
    if query.isdigit() and len(query) >= 4:
        return qs.filter(Q(inn__startswith=query) | Q(ogrn__startswith=query))
    return filter_queryset(qs, query, "organization")


def match_ids(query: str, kind: str, limit: int | None = None) -> list[int] | None:
    """Ids of `kind` whose documents hold every lemma of `query`; None when the query has no words."""
    terms = lemmas(query)
    if not terms:
        return None
    sql, params = _match_sql(terms, kind)
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
