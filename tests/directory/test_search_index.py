"""The search uses an index made for it (tracker/directory/search_index.py): a GIN trigram index on
PostgreSQL, an FTS5 trigram table kept in step by triggers on SQLite; the hits are those of the plain LIKE."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from bench.search import name_words, people_rows
from tracker.directory import operations as ops
from tracker.directory import search_index
from tracker.directory.models import Person
from tracker.directory.search import make_search_key, person_query, reindex_all, search
from tracker.extensions import db

FIRST = ["Ramesh", "Suresh", "Mahesh", "Dinesh", "Rajesh", "Sunita", "Anita", "Kavita", "Pooja", "Neha",
         "Arvind", "Vijay", "Sanjay", "Ajay", "Manoj", "Pradeep", "Sandeep", "Kuldeep", "Rekha", "Meena"]
LAST = ["Sharma", "Patel", "Yadav", "Singh", "Tiwari", "Mishra", "Dubey", "Jain", "Gupta", "Rathore",
        "Chouhan", "Thakur", "Pandey", "Shukla", "Tripathi", "Saxena", "Kushwaha", "Ahirwar", "Meena", "Dhakad"]


def _bulk_people(count: int) -> None:
    rows = []
    for n in range(count):
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n:05d}"
        rows.append({"name_en": name, "name_hi": "", "mobile": f"+9197{n:08d}", "search_key": make_search_key(name)})
    db.session.execute(sa.insert(Person), rows)
    db.session.commit()


def _fts_ids(pattern: str) -> set[int]:
    return set(db.session.scalars(sa.text("SELECT rowid FROM people_fts WHERE search_key LIKE :p"), {"p": pattern}))


def _like_ids(pattern: str) -> set[int]:
    return set(db.session.scalars(sa.select(Person.id).where(Person.search_key.like(pattern))))


def _ids(query: str) -> set[int]:
    return {hit.id for hit in search(query, limit=1000, kinds=("person",))}


@pytest.fixture
def sqlite_only(dialect):
    if dialect != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")


@pytest.fixture
def postgresql_only(dialect):
    if dialect != "postgresql":
        pytest.skip("the trigram GIN index is PostgreSQL's")


def test_sqlite_fts_follows_insert_update_delete_and_reindex(sqlite_only):
    person = ops.create_person({"name_en": "Pravin Saxena", "name_hi": "प्रवीण सक्सेना", "mobile": "9826012345"})
    db.session.commit()
    assert _fts_ids("% sax%") == _like_ids("% sax%") == {person.id}
    assert _ids("saxena") == _ids("सक्सेना") == {person.id}

    ops.update_person(person, {"name_en": "Pravin Verma", "name_hi": "प्रवीण वर्मा", "mobile": "9826012345"})
    db.session.commit()
    assert _fts_ids("% sax%") == set() and _fts_ids("% verma%") == {person.id}
    assert _ids("saxena") == set() and _ids("varma") == _ids("वर्मा") == {person.id}

    # A bulk change of the keys (what migration 0011 and ``tracker directory reindex`` do) reaches the index.
    db.session.execute(sa.update(Person).values(search_key=" stale "))
    db.session.commit()
    assert _ids("varma") == set() and _fts_ids("% stale%") == {person.id}
    reindex_all()
    db.session.commit()
    assert _ids("varma") == {person.id} and _fts_ids("% stale%") == set()

    db.session.delete(person)
    db.session.commit()
    assert _fts_ids("% verma%") == set() and _ids("varma") == set()
    assert db.session.scalar(sa.text("SELECT count(*) FROM people_fts")) == 0


def test_sqlite_search_reads_the_fts_table_and_finds_what_the_like_finds(sqlite_only, monkeypatch):
    _bulk_people(2000)
    statement = person_query("sharma")
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    steps = [row[-1] for row in db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}"))]
    assert "SEARCH people USING INTEGER PRIMARY KEY (rowid=?)" in steps, steps
    assert any(step.startswith("SCAN people_fts VIRTUAL TABLE") for step in steps), steps
    assert not any(step.startswith("SCAN people") and "people_fts" not in step for step in steps), steps
    assert _ids("sharma") == _like_ids("% srm%") and len(_ids("sharma")) == 2000 // len(LAST)
    queries = ["sharma", "शर्मा", "sur", "ramesh yadav", "kus", "a", "ch", "tiwar 00017", "rekha meena", "ना"]
    with_index = {q: [h.id for h in search(q, limit=50, kinds=("person",))] for q in queries}
    monkeypatch.setattr(search_index, "restrict", lambda *args, **kw: None)  # the plain LIKE
    without = {q: [h.id for h in search(q, limit=50, kinds=("person",))] for q in queries}
    assert with_index == without
    assert all(with_index[q] for q in ["sharma", "sur", "ramesh yadav", "kus", "a", "ch", "rekha meena"])


def test_postgresql_search_uses_the_trigram_index(postgresql_only):
    """20 000 people with names of real name words (as bench/search.py makes them): the planner takes the
    trigram index for a surname, not a scan of the table."""
    rng = random.Random(18)
    db.session.execute(sa.insert(Person), people_rows(0, 20_000, name_words(), rng))
    db.session.commit()
    # What autovacuum does in time: the rows still in the GIN index's pending list go into the index proper,
    # and the planner learns the table's statistics.
    db.session.execute(sa.text("SELECT gin_clean_pending_list('ix_people_search_key_trgm')"))
    db.session.execute(sa.text("ANALYZE people"))
    db.session.commit()
    for query in ["sharma", "saxena"]:
        compiled = person_query(query).compile(db.engine)  # psycopg's pyformat with the parameters by name
        plan = "\n".join(row[0] for row in db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}",
                                                                                   compiled.params))
        assert "Seq Scan on people" not in plan, plan
        assert "Bitmap Index Scan on ix_people_search_key_trgm" in plan, plan
    assert _ids("sharma") == _like_ids("% srm%") != set()
