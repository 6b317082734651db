"""Directory search at scale: ``python -m bench.search`` from the repository root.

Builds people by bulk inserts (names made of the real name words of ``tests/directory/name_pairs.csv``,
each in Latin and Devanagari, with the stored key the app computes) on a fresh database migrated like
production (so with the search index of migration 0027), at 10 000 and then 100 000 people, and times a
set of searches (Latin, Devanagari, spelling variants, prefixes, two words) through
:func:`tracker.directory.search.search`: p50 and p95 at each size and their ratio 100k:10k. On SQLite,
and on PostgreSQL too when ``TRACKER_BENCH_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``)
answers (a scratch database is made beside it and dropped). ``--sizes 10000,100000`` to change the sizes.
Each size is also timed without the index (``scan_*``: SQLite without the FTS restriction, PostgreSQL with
bitmap scans off) for comparison. The names come from some hundreds of words, so a surname's hits grow
with the table (about 1 % of it): what still grows with the index is the ranking of those hits.
The LAST line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

QUERIES = ["sharma", "शर्मा", "varma", "chaudhary", "चौधरी", "ram", "sur", "raj kumar", "राजेश", "saxena",
           "singh", "prav", "tiwari", "अ", "gwalior", "yadav ramesh"]
REPEAT = 5
DATA = Path(__file__).resolve().parent.parent / "tests" / "directory" / "name_pairs.csv"


def name_words() -> list[tuple[str, str]]:
    words: dict[tuple[str, str], None] = {}
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            latin, devanagari = row["latin"].split(), row["devanagari"].split()
            if len(latin) == len(devanagari):
                words.update(dict.fromkeys(zip(latin, devanagari, strict=True)))
    return list(words)


def people_rows(start: int, count: int, words: list[tuple[str, str]], rng: random.Random) -> list[dict]:
    from tracker.directory.search import make_search_key

    rows = []
    for n in range(start, start + count):
        parts = rng.sample(words, rng.choice((2, 2, 3)))
        name_en, name_hi = " ".join(p[0] for p in parts), " ".join(p[1] for p in parts)
        rows.append({"name_en": name_en, "name_hi": name_hi, "mobile": f"+91{7000000000 + n}",
                     "search_key": make_search_key(name_hi, name_en), "is_archived": False, "note": ""})
    return rows


def _fill(upto: int, have: int, words, rng) -> None:
    import sqlalchemy as sa

    from tracker.directory.models import Person
    from tracker.extensions import db

    for start in range(have, upto, 5000):
        db.session.execute(sa.insert(Person), people_rows(start, min(5000, upto - start), words, rng))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # what autovacuum does in time
        db.session.execute(sa.text("SELECT gin_clean_pending_list('ix_people_search_key_trgm')"))
        db.session.execute(sa.text("ANALYZE people"))
        db.session.commit()


def _time_searches(indexed: bool = True) -> dict:
    """p50/p95 of the searches; ``indexed=False``: the same searches as a scan, for comparison (SQLite: without
    the FTS restriction; PostgreSQL: bitmap scans off for the session)."""
    import sqlalchemy as sa

    from tracker.directory import search_index
    from tracker.directory.search import search
    from tracker.extensions import db

    if not indexed:
        restrict = search_index.restrict
        search_index.restrict = lambda *args, **kw: None
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("SET enable_bitmapscan = off"))
        try:
            return _time_searches()
        finally:
            search_index.restrict = restrict
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("RESET enable_bitmapscan"))
    samples = []
    for query in QUERIES:
        for _ in range(REPEAT):
            begin = time.perf_counter()
            search(query, kinds=("person",))
            samples.append((time.perf_counter() - begin) * 1000)
            if db.engine.dialect.name != "postgresql":
                db.session.rollback()
    db.session.rollback()
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 2)}


def _run(url: str, sizes: list[int]) -> dict:
    from tracker import create_app
    from tracker.commands import upgrade_database
    from tracker.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    words, rng = name_words(), random.Random(18)
    figures: dict = {}
    with app.app_context():
        upgrade_database()
        have = 0
        for size in sizes:
            begin = time.perf_counter()
            _fill(size, have, words, rng)
            built = time.perf_counter() - begin
            have = size
            _time_searches()  # warm the caches, for both timings alike
            scan = _time_searches(indexed=False)
            figures[str(size)] = {**_time_searches(), "build_s": round(built, 1),
                                  "scan_p50_ms": scan["p50_ms"], "scan_p95_ms": scan["p95_ms"]}
            print(f"  {size:>7} people (built in {built:.1f} s): p50 {figures[str(size)]['p50_ms']} ms, "
                  f"p95 {figures[str(size)]['p95_ms']} ms (without the index: p50 {scan['p50_ms']} ms, "
                  f"p95 {scan['p95_ms']} ms)", flush=True)
        db.session.remove()
        db.engine.dispose()
    first, last = figures[str(sizes[0])], figures[str(sizes[-1])]
    figures["ratio_p50"] = round(last["p50_ms"] / first["p50_ms"], 2)
    figures["ratio_p95"] = round(last["p95_ms"] / first["p95_ms"], 2)
    figures["scan_ratio_p50"] = round(last["scan_p50_ms"] / first["scan_p50_ms"], 2)
    print(f"  ratio {sizes[-1]}:{sizes[0]}: p50 ×{figures['ratio_p50']}, p95 ×{figures['ratio_p95']} "
          f"(without the index: p50 ×{figures['scan_ratio_p50']})")
    return figures


def _postgres(sizes: list[int]) -> dict | None:
    import sqlalchemy as sa

    base = os.environ.get("TRACKER_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    base = "postgresql+psycopg://" + base.split("://", 1)[1]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"bench_search_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL does not answer ({error.__class__.__name__}): skipped")
        return None
    try:
        return _run(base.rsplit("/", 1)[0] + f"/{name}", sizes)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    result = {"queries": QUERIES, "repeat": REPEAT}
    with tempfile.TemporaryDirectory() as scratch:
        print("SQLite (FTS5 trigram):")
        result["sqlite"] = _run(f"sqlite:///{scratch}/bench.db", sizes)
    if not args.no_postgres:
        print("PostgreSQL (pg_trgm GIN):")
        result["postgresql"] = _postgres(sizes)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
