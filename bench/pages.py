"""Page benchmark: ``python -m bench.pages`` from the repository root.

For each scale (about 70 organizational districts, Madhya Pradesh's size, and about 1,000, the whole
country) it makes a fresh temporary SQLite database and app (migrated like production), builds the
synthetic directory (``bench.synth``), lets every ``bench/pages_<domain>.py`` module add its data
(``seed(districts: int)``, called in an app context; commit or flush, the benchmark commits), then
renders every page that the modules list (``pages() -> [(name, url, username)]``, called after
seeding, so URLs may contain ids) through the test client, logged in as that user:

* the SQL query count of one request (after warm-up),
* the median time of ``--runs`` requests (fewer, but at least seven, for a page that would take more
  than six seconds a scale); both scales' databases stay open and each page is timed in interleaved
  rounds (small, its floor, large, its floor), so that the load of a shared machine shifting during
  the run affects every figure of a page alike,
* the floor: a bare route of the same app (added only in the benchmark's app) rendering a template
  of about the same size as the page, with no database access; the page's time divided by it (not a
  goal for the PDFs, pages named ``….pdf``: typesetting costs what it costs, ``bench.pdf`` times them).

Human-readable lines first; the LAST line is one JSON object::

    {"scales": {"small": 70, "large": 1000},
     "pages": {name: {"queries_small", "queries_large", "ms_small", "ms_large", "ratio_large_small",
                      "floor_ms_small", "floor_ms_large", "ratio_floor_small", "ratio_floor_large"}},
     "goals": {"equal_queries": bool, "large_small_max": 1.5, "page_floor_max": 5, "failing": [...]}}
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import pkgutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from flask import Flask, render_template_string, request
from sqlalchemy import event

import bench
from bench import synth

SCALES = {"small": 70, "large": 1000}
RUNS = 30
MIN_RUNS = 7  # a page slower than BUDGET_SECONDS / RUNS gets fewer timed runs, never fewer than this
BUDGET_SECONDS = 6.0
WARMUP = 3
GOAL_LARGE_SMALL = 1.5
GOAL_PAGE_FLOOR = 5.0
FLOOR_URL = "/_bench/floor"

# A page-like template: a header, navigation and a table of ``rows`` rows, without any query.
FLOOR_TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor</title>
<link rel="stylesheet" href="{{ url_for('static', filename='css/app.css') }}"></head><body>
<header><nav><ul>{% for n in range(8) %}<li><a href="/n{{ n }}">{{ 'Menu entry %d'|format(n) }}</a></li>{% endfor %}
</ul></nav></header><main><h1>{{ title }}</h1><table><tbody>
{% for row in rows %}<tr><td><a href="/x/{{ row.id }}">{{ row.name }}</a></td><td>{{ row.code }}</td>
<td>{{ row.note }}</td></tr>{% endfor %}</tbody></table></main></body></html>"""
FLOOR_ROW_BYTES = 150


@dataclass
class Page:
    module: str
    name: str
    url: str
    username: str


@dataclass
class Measure:
    queries: int
    ms: float
    size: int
    status: int


def page_modules() -> list[str]:
    """The ``bench.pages_<domain>`` modules, sorted."""
    return sorted(
        f"bench.{info.name}" for info in pkgutil.iter_modules(bench.__path__) if info.name.startswith("pages_")
    )


def _floor_view():
    rows = [{"id": n, "name": f"Row {n}", "code": f"code-{n:05d}", "note": "x" * 60}
            for n in range(int(request.args.get("rows", 50)))]
    return render_template_string(FLOOR_TEMPLATE, title="Floor", rows=rows)


def make_app(database_url: str, instance_path: str) -> Flask:
    from tracker import create_app

    os.environ["TRACKER_INSTANCE_PATH"] = instance_path
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "bench-secret",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "localhost",
        "DEFAULT_LOCALE": "en",
    })
    app.add_url_rule(FLOOR_URL, "bench_floor", _floor_view)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, conn, cursor, statement, *args):
        if statement.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"):
            self.count += 1


@contextmanager
def counting(engine):
    counter = _Counter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def _timed_get(client, url: str) -> float:
    start = time.perf_counter()
    client.get(url)
    return (time.perf_counter() - start) * 1000


def probe(client, engine, url: str) -> Measure:
    """Warm a page up, then count the queries of one request (time is filled in later)."""
    for _ in range(WARMUP):
        client.get(url)
    with counting(engine) as counter:
        response = client.get(url)
    return Measure(counter.count, 0.0, len(response.data), response.status_code)


def login(client, username: str) -> None:
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": synth.PASSWORD})
    if response.status_code not in (302, 303):
        raise RuntimeError(f"cannot log in as {username}: {response.status_code}")


def _synchronous_off(dbapi_connection, connection_record, connection_proxy) -> None:
    dbapi_connection.execute("PRAGMA synchronous=OFF")


@contextmanager
def unsynchronized(engine):
    """While the throwaway database is filled, commits need not wait for the disk (the app's
    connections use synchronous=FULL); the pages are then measured on fresh, normal connections."""
    if engine.dialect.name != "sqlite":
        yield
        return
    engine.dispose()
    event.listen(engine, "checkout", _synchronous_off)
    try:
        yield
    finally:
        event.remove(engine, "checkout", _synchronous_off)
        engine.dispose()


def build_world(app: Flask, districts: int, modules: list[str], log) -> list[Page]:
    from tracker.commands import upgrade_database
    from tracker.extensions import db

    pages: list[Page] = []
    with app.app_context(), unsynchronized(db.engine):
        upgrade_database()
        start = time.perf_counter()
        synth.build(districts)
        db.session.commit()
        log(f"[{districts} districts] bench.synth built in {time.perf_counter() - start:.1f} s")
        for name in modules:
            start = time.perf_counter()
            importlib.import_module(name).seed(districts)
            db.session.commit()
            log(f"[{districts} districts] {name}.seed took {time.perf_counter() - start:.1f} s")
        for name in modules:
            module = importlib.import_module(name)
            pages += [Page(name, page, url, user) for page, url, user in module.pages()]
        db.session.remove()
    return pages


@dataclass
class World:
    """One scale's app, database and pages, kept alive while every scale is measured."""

    label: str
    districts: int
    app: Flask
    engine: object
    pages: dict[str, Page]
    clients: dict[str, object]

    def client(self, username: str):
        if username not in self.clients:
            self.clients[username] = self.app.test_client()
            login(self.clients[username], username)
        return self.clients[username]


def open_world(label: str, districts: int, modules: list[str], stack: ExitStack, log) -> World:
    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="tracker-bench-"))
    app = make_app(f"sqlite:///{tmp}/bench.sqlite", tmp)
    start = time.perf_counter()
    pages = build_world(app, districts, modules, log)
    log(f"[{districts} districts] data built in {time.perf_counter() - start:.1f} s; {len(pages)} pages")
    with app.app_context():
        from tracker.extensions import db

        engine = db.engine
    stack.callback(engine.dispose)
    return World(label, districts, app, engine, {page.name: page for page in pages}, {})


def measure_page(name: str, worlds: list[World], runs: int, log) -> dict[str, tuple[Measure, Measure]]:
    """The page and its floor at every scale, timed in interleaved rounds so that a change of the
    machine's load during the run affects all of them alike."""
    series: dict[tuple[str, str], tuple[object, str, Measure]] = {}
    for world in worlds:
        page = world.pages[name]
        client = world.client(page.username)
        measure = probe(client, world.engine, page.url)
        rows = max(1, round(measure.size / FLOOR_ROW_BYTES))
        floor_url = f"{FLOOR_URL}?rows={rows}"
        series[(world.label, "page")] = (client, page.url, measure)
        series[(world.label, "floor")] = (client, floor_url, probe(client, world.engine, floor_url))
    times: dict[tuple[str, str], list[float]] = {key: [] for key in series}
    deadline = time.perf_counter() + BUDGET_SECONDS * len(worlds)
    rounds = 0
    while rounds < runs and (rounds < MIN_RUNS or time.perf_counter() < deadline):
        for key, (client, url, _measure) in series.items():
            times[key].append(_timed_get(client, url))
        rounds += 1
    results = {}
    for world in worlds:
        page, floor = (series[(world.label, kind)][2] for kind in ("page", "floor"))
        page.ms = statistics.median(times[(world.label, "page")])
        floor.ms = statistics.median(times[(world.label, "floor")])
        results[world.label] = (page, floor)
        log(f"[{world.districts} districts] {name:30} {page.status} {page.queries:3d} queries {page.ms:8.2f} ms "
            f"{page.size:8d} bytes | floor {floor.ms:7.2f} ms {floor.size:8d} bytes ({rounds} rounds)")
    return results


def summarize(small: dict[str, tuple[Measure, Measure]], large: dict[str, tuple[Measure, Measure]]) -> dict:
    pages = {}
    failing = []
    for name, (s, s_floor) in small.items():
        if name not in large:
            continue
        lg, lg_floor = large[name]
        entry = {
            "queries_small": s.queries, "queries_large": lg.queries,
            "ms_small": round(s.ms, 2), "ms_large": round(lg.ms, 2),
            "ratio_large_small": round(lg.ms / s.ms, 2),
            "floor_ms_small": round(s_floor.ms, 2), "floor_ms_large": round(lg_floor.ms, 2),
            "ratio_floor_small": round(s.ms / s_floor.ms, 2),
            "ratio_floor_large": round(lg.ms / lg_floor.ms, 2),
            "status": [s.status, lg.status],
        }
        pages[name] = entry
        # A PDF (a name ending in .pdf) is laid out and typeset, not only rendered: the HTML floor is no
        # measure of it (bench.pdf holds its goals); the query and large:small goals hold for it too.
        beyond_floor = not name.endswith(".pdf") and max(entry["ratio_floor_small"], entry["ratio_floor_large"]) > GOAL_PAGE_FLOOR
        if (s.queries != lg.queries or entry["ratio_large_small"] > GOAL_LARGE_SMALL or beyond_floor
                or s.status != 200 or lg.status != 200):
            failing.append(name)
    return {
        "scales": SCALES,
        "pages": pages,
        "goals": {
            "equal_queries": all(p["queries_small"] == p["queries_large"] for p in pages.values()),
            "large_small_max": GOAL_LARGE_SMALL, "page_floor_max": GOAL_PAGE_FLOOR, "failing": failing,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="timed requests per page")
    parser.add_argument("--only", default="", help="comma-separated page modules, e.g. pages_directory")
    args = parser.parse_args(argv)
    modules = page_modules()
    if args.only:
        wanted = {f"bench.{m.strip()}" for m in args.only.split(",")}
        modules = [m for m in modules if m in wanted]

    def log(line: str) -> None:
        print(line, flush=True)

    measures: dict[str, dict[str, tuple[Measure, Measure]]] = {label: {} for label in SCALES}
    with ExitStack() as stack:
        worlds = [open_world(label, districts, modules, stack, log) for label, districts in SCALES.items()]
        names = [name for name in worlds[0].pages if all(name in world.pages for world in worlds)]
        for name in names:
            for label, result in measure_page(name, worlds, args.runs, log).items():
                measures[label][name] = result
    summary = summarize(measures["small"], measures["large"])
    for name, entry in summary["pages"].items():
        log(f"{name:28} queries {entry['queries_small']}/{entry['queries_large']}  "
            f"large:small {entry['ratio_large_small']:.2f}  page:floor {entry['ratio_floor_small']:.2f}/"
            f"{entry['ratio_floor_large']:.2f}")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
