"""Check-in benchmark: ``python -m bench.checkin`` from the repository root.

For SQLite (a fresh file database) and then PostgreSQL (a fresh database ``tracker_bench_<pid>`` on
127.0.0.1:5432, user postgres), it:

1. migrates the database and seeds one open session with ``--invitees`` invitations (each with a QR
   pass) and ``--clients`` coordinator accounts;
2. starts the app under gunicorn (2 workers, ``gunicorn 'tracker:create_app()'``) with
   ``TRACKER_DATABASE_URL`` and ``TRACKER_INSTANCE_PATH`` pointing at a temporary directory, and
   ``TRACKER_BENCH_BARE=1``, which adds a bare insert endpoint (``tracker.attendance.bench_bare``);
3. logs in ``--clients`` concurrent clients (threads with ``requests`` sessions; the CSRF token is read
   from the page's ``<meta name="csrf-token">``) and, for ``--seconds``, has them scan passes: each
   POST to the roster's scan endpoint checks in a person not yet checked in (every check-in is a
   real write);
4. counts the records: acknowledged (the server answered "checked in"), records found, lost
   (acknowledged but missing) and duplicated (more than one record for a person);
5. measures the bare endpoint the same way (same logged-in clients, same server, same duration): one
   CSRF-checked POST of a logged-in user that upserts one row and commits (no attendance rules), and
   reports check-ins per second and the ratio of that rate to the bare rate (goal: at least 0.5);
6. the replay figure: one phone's offline queue of ``--replay`` marks (500) of people not checked in,
   each with its UUID, sent in order through the roster page's queue endpoint
   (``POST /attendance/sessions/<id>/sync``) in the page's batches (``tracker.attendance.sync.BATCH_SIZE``),
   then the whole queue sent once more (an answer lost on the way): the seconds until every mark is
   confirmed (goal: under 10), lost (confirmed, no record) and duplicated (a record or a history
   entry twice; goal: 0 and 0).

Human-readable lines first; the LAST line is one JSON object::

    {"sqlite": {"acknowledged", "records", "lost", "duplicated", "checkins_per_second",
                "bare_per_second", "ratio_to_bare", "errors",
                "replay": {"marks", "seconds", "confirmed", "lost", "duplicated", "errors"}},
     "postgresql": {...}, "goal_ratio": 0.5, "goal_replay_seconds": 10, "ok": bool}
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password-1"
GOAL_RATIO = 0.5
GOAL_REPLAY_SECONDS = 10.0
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


# --- databases ---------------------------------------------------------------------------------


@contextmanager
def sqlite_database(tmp: Path):
    yield f"sqlite:///{tmp / 'bench.sqlite'}"


@contextmanager
def postgres_database():
    import psycopg

    name = f"tracker_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url: str, instance: Path) -> dict:
    return {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_INSTANCE_PATH": str(instance),
            "TRACKER_BENCH_BARE": "1", "TRACKER_SECRET_KEY": "bench-secret"}


# --- seeding (in this process, before the server starts) ---------------------------------------


def seed(database_url: str, instance: Path, invitees: int, clients: int) -> int:
    """Migrate, then make an open session with its invitations and the coordinators. Returns the session id."""
    os.environ.update(_env(database_url, instance))
    from tracker import create_app

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        import sqlalchemy as sa

        from tracker.attendance import bench_bare
        from tracker.auth.models import Role
        from tracker.auth.operations import create_user
        from tracker.commands import upgrade_database
        from tracker.directory.models import Person, Unit
        from tracker.extensions import db
        from tracker.meetings.models import Invitation, Meeting, MeetingSession
        from tracker.timeutil import now_utc

        upgrade_database()
        bench_bare.create_table()
        state = Unit(code="bench-state", level="state", name_en="Bench State", name_hi="बेंच प्रदेश")
        division = Unit(code="bench-div", level="division", name_en="Bench Division", name_hi="बेंच संभाग",
                        parent=state)
        db.session.add_all([state, division])
        starts = now_utc().replace(microsecond=0) - timedelta(minutes=5)
        meeting = Meeting(title_en="Check-in benchmark", title_hi="चेक-इन बेंचमार्क", purpose="review",
                          starts_on=starts.date(), ends_on=starts.date(), status="published")
        session = MeetingSession(meeting=meeting, kind="group", starts_at=starts, ends_at=starts + timedelta(hours=8),
                                 title_en="Session", title_hi="सत्र")
        db.session.add(session)
        db.session.flush()
        now = now_utc()
        districts = [{"code": f"bench-dist-{i}", "level": "district", "district_kind": "whole",
                      "name_en": f"District {i}", "name_hi": f"जिला {i}", "parent_id": division.id,
                      "search_key": "", "is_archived": False, "created_at": now, "updated_at": now}
                     for i in range(50)]
        db.session.execute(sa.insert(Unit), districts)
        district_ids = db.session.scalars(sa.select(Unit.id).where(Unit.level == "district")).all()
        db.session.execute(sa.insert(Person), [
            {"name_en": f"Invitee {i}", "name_hi": f"आमंत्रित {i}", "mobile": f"+9196{i:08d}",
             "preferred_locale": "hi", "preferred_channel": "sms", "note": "", "search_key": "",
             "is_archived": False, "created_at": now, "updated_at": now} for i in range(invitees)])
        people = db.session.scalars(sa.select(Person.id).order_by(Person.id)).all()
        db.session.execute(sa.insert(Invitation), [
            {"session_id": session.id, "person_id": pid, "kind": "invitee", "unit_id": district_ids[i % 50],
             "pass_issued_at": now, "created_at": now, "updated_at": now}
            for i, pid in enumerate(people)])
        for i in range(clients):
            create_user(f"bench_coord_{i}", PASSWORD, Role.COORDINATOR)
        db.session.commit()
        session_id = session.id
        db.engine.dispose()
    return session_id


def tokens_of(database_url: str, session_id: int) -> list[str]:
    """The session's pass tokens, derived under the secret key of ``_env`` (which :func:`seed` set)."""
    from tracker import create_app

    app = create_app()
    with app.app_context():
        import sqlalchemy as sa

        from tracker.extensions import db
        from tracker.meetings.models import Invitation

        tokens = [inv.pass_token for inv in db.session.scalars(
            sa.select(Invitation).where(Invitation.session_id == session_id).order_by(Invitation.id))]
        db.engine.dispose()
    return tokens


def people_of(database_url: str, session_id: int) -> list[int]:
    """The session's invited people, in the order of their invitations (and of :func:`tokens_of`)."""
    import sqlalchemy as sa

    engine = sa.create_engine(_driver_url(database_url))
    with engine.connect() as conn:
        people = conn.execute(sa.text("SELECT person_id FROM invitations WHERE session_id = :s ORDER BY id"),
                              {"s": session_id}).scalars().all()
    engine.dispose()
    return list(people)


def count_replayed(database_url: str, session_id: int, person_ids: list[int]) -> tuple[set[int], int]:
    """(the people with a record, how many were written twice: more than one record or history entry)."""
    import sqlalchemy as sa

    engine = sa.create_engine(_driver_url(database_url))
    wanted = set(person_ids)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT a.person_id, COUNT(DISTINCT a.id), COUNT(e.id) FROM attendance a "
            "LEFT JOIN audit_entries e ON e.entity_type = 'attendance' AND e.entity_id = a.id "
            "WHERE a.session_id = :s GROUP BY a.person_id"), {"s": session_id}).all()
    engine.dispose()
    mine = [row for row in rows if row[0] in wanted]
    return {row[0] for row in mine}, sum(1 for row in mine if row[1] > 1 or row[2] > 1)


def replay_queue(post, url: str, csrf: str, person_ids: list[int], batch: int) -> dict:
    """Send one phone's queue (a mark per person) as the page does, in order and in batches, then all of
    it once more; ``post(url, json=..., headers=...)`` returns (status, body). Returns the figures."""
    import uuid

    from tracker.timeutil import wall_now

    made = wall_now().isoformat()  # the phone's clock: real time
    queue = [{"client_id": str(uuid.uuid4()), "kind": "mark", "person_id": pid, "status": "present",
              "marked_at": made} for pid in person_ids]
    confirmed: dict[str, int] = {}
    errors: list[str] = []
    start = time.perf_counter()
    for first in range(0, len(queue), batch):
        _send_batch(post, url, csrf, queue[first:first + batch], confirmed, errors)
    seconds = time.perf_counter() - start
    for first in range(0, len(queue), batch):  # the answers were lost: the whole queue again
        _send_batch(post, url, csrf, queue[first:first + batch], confirmed, errors)
    return {"marks": len(queue), "seconds": round(seconds, 2), "confirmed": len(set(confirmed.values())),
            "errors": len(errors), "error_samples": errors[:3]}


def _send_batch(post, url: str, csrf: str, items: list[dict], confirmed: dict, errors: list) -> None:
    status, body = post(url, json={"items": items}, headers={"X-CSRFToken": csrf, "Accept": "application/json"})
    if status != 200:
        errors.append(f"{status} {str(body)[:100]}")
        return
    for answer in body["items"]:
        if answer["state"] == "saved" and answer["status"] == "present":
            confirmed[answer["client_id"]] = answer["person_id"]
        else:
            errors.append(str(answer)[:100])


def count_records(database_url: str, session_id: int) -> tuple[int, int, set[int]]:
    """(records, persons with more than one record, the persons with a record)."""
    import sqlalchemy as sa

    engine = sa.create_engine(_driver_url(database_url))
    with engine.connect() as conn:
        persons = conn.execute(sa.text("SELECT person_id FROM attendance WHERE session_id = :s"),
                               {"s": session_id}).scalars().all()
        duplicated = conn.execute(sa.text(
            "SELECT COUNT(*) FROM (SELECT person_id FROM attendance WHERE session_id = :s "
            "GROUP BY person_id HAVING COUNT(*) > 1) AS d"), {"s": session_id}).scalar_one()
    engine.dispose()
    return len(persons), duplicated, set(persons)


def _driver_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith("postgresql://") else url


# --- the server --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int) -> list[str]:
    """gunicorn from the running interpreter's environment, wherever that is (not a path into .venv)."""
    return [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", "tracker:create_app()"]


@contextmanager
def gunicorn(database_url: str, instance: Path):
    port = _free_port()
    cmd = gunicorn_command(port)
    process = subprocess.Popen(cmd, cwd=ROOT, env=_env(database_url, instance), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


# --- clients -----------------------------------------------------------------------------------


def _csrf(html: str) -> str:
    match = CSRF_META.search(html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def login(base: str, username: str, session_id: int) -> tuple[requests.Session, str]:
    http = requests.Session()
    token = _csrf(http.get(base + "/login", timeout=30).text)
    response = http.post(base + "/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                         timeout=30, allow_redirects=False)
    if response.status_code not in (302, 303):
        raise RuntimeError(f"login of {username} failed: {response.status_code}")
    roster = http.get(f"{base}/attendance/sessions/{session_id}", timeout=60)
    roster.raise_for_status()
    return http, _csrf(roster.text)


@dataclass
class Run:
    ok: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    seconds: float = 0.0


def drive(clients: list[tuple[requests.Session, str]], seconds: float, request_one) -> Run:
    """Each client sends requests back to back for ``seconds``; ``request_one(http, csrf)`` returns
    an acknowledged item or raises."""
    run = Run()
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)
    stop = threading.Event()

    def work(http, csrf):
        barrier.wait()
        while not stop.is_set():
            try:
                item = request_one(http, csrf)
            except StopIteration:
                return
            except Exception as exc:  # counted and reported, never hidden
                with lock:
                    run.errors.append(repr(exc)[:200])
                continue
            with lock:
                run.ok.append(item)

    threads = [threading.Thread(target=work, args=client) for client in clients]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - start
    return run


def bench_database(label: str, database_url: str, args, log) -> dict:
    with tempfile.TemporaryDirectory(prefix="tracker-checkin-") as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        session_id = seed(database_url, instance, args.invitees, args.clients)
        # the last ``--replay`` people are the phone's queue; the check-ins use the others
        replayed_people = people_of(database_url, session_id)[-args.replay:] if args.replay else []
        tokens = iter(tokens_of(database_url, session_id)[:args.invitees - len(replayed_people)])
        keys = itertools.count()
        token_lock = threading.Lock()
        log(f"[{label}] seeded {args.invitees} invitations, {args.clients} coordinators")
        with gunicorn(database_url, instance) as base:
            clients = [login(base, f"bench_coord_{i}", session_id) for i in range(args.clients)]
            scan_url = f"{base}/attendance/sessions/{session_id}/scan"

            def check_in(http, csrf):
                with token_lock:
                    token = next(tokens)
                response = http.post(scan_url, data={"code": f"{base}/attendance/pass/{token}"}, timeout=60,
                                     headers={"X-CSRFToken": csrf, "Accept": "application/json"})
                body = response.json()
                if response.status_code != 200 or not body.get("ok") or body.get("already"):
                    raise RuntimeError(f"{response.status_code} {body}")
                return body["person_id"]

            def bare(http, csrf):
                with token_lock:
                    key = f"k{next(keys)}"
                response = http.post(f"{base}/_bench/bare", data={"key": key}, timeout=60,
                                     headers={"X-CSRFToken": csrf, "Accept": "application/json"})
                if response.status_code != 200 or not response.json().get("ok"):
                    raise RuntimeError(f"{response.status_code} {response.text[:100]}")
                return key

            checkins = drive(clients, args.seconds, check_in)
            log(f"[{label}] check-ins: {len(checkins.ok)} acknowledged in {checkins.seconds:.1f} s, "
                f"{len(checkins.errors)} errors")
            bare_run = drive(clients, args.seconds, bare)
            log(f"[{label}] bare inserts: {len(bare_run.ok)} in {bare_run.seconds:.1f} s, {len(bare_run.errors)} errors")
            replay = replay_figure(label, base, clients[0], session_id, replayed_people, log)
        records, duplicated, persons = count_records(database_url, session_id)
        if replay is not None:  # the queued marks are counted apart from the check-ins
            found, twice = count_replayed(database_url, session_id, replayed_people)
            records, persons = records - len(found), persons - found
            replay.update(lost=len(set(replayed_people) - found), duplicated=twice)
            log(f"[{label}] replay: {replay}")
    acknowledged = set(checkins.ok)
    rate = len(checkins.ok) / checkins.seconds
    bare_rate = len(bare_run.ok) / bare_run.seconds
    result = {
        "acknowledged": len(checkins.ok), "records": records, "lost": len(acknowledged - persons),
        "duplicated": duplicated, "checkins_per_second": round(rate, 1), "bare_per_second": round(bare_rate, 1),
        "ratio_to_bare": round(rate / bare_rate, 2) if bare_rate else None,
        "errors": len(checkins.errors) + len(bare_run.errors),
        "replay": replay,
    }
    for error in (checkins.errors + bare_run.errors)[:5]:
        log(f"[{label}] error: {error}")
    log(f"[{label}] {result}")
    return result


def replay_figure(label: str, base: str, client, session_id: int, person_ids: list[int], log) -> dict | None:
    """The replay of one phone's queue through the page's endpoint and batches (see :func:`replay_queue`)."""
    if not person_ids:
        return None
    from tracker.attendance.sync import BATCH_SIZE

    http, csrf = client

    def post(url, json, headers):
        response = http.post(url, json=json, headers=headers, timeout=120)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, response.text

    figure = replay_queue(post, f"{base}/attendance/sessions/{session_id}/sync", csrf, person_ids, BATCH_SIZE)
    log(f"[{label}] replay: {figure['marks']} queued marks confirmed in {figure['seconds']:.2f} s "
        f"(batches of {BATCH_SIZE}), {figure['errors']} errors")
    return figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--invitees", type=int, default=6000, help="invitations (each check-in uses a new one)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    parser.add_argument("--replay", type=int, default=500, help="marks in the phone's queue of the replay figure")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, flush=True)

    summary: dict = {}
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="tracker-checkin-db-") as tmp, sqlite_database(Path(tmp)) as url:
            summary["sqlite"] = bench_database("sqlite", url, args, log)
    if args.only in (None, "postgresql"):
        with postgres_database() as url:
            summary["postgresql"] = bench_database("postgresql", url, args, log)
    summary["goal_ratio"] = GOAL_RATIO
    summary["goal_replay_seconds"] = GOAL_REPLAY_SECONDS
    summary["ok"] = all(
        r["lost"] == 0 and r["duplicated"] == 0 and r["errors"] == 0 and r["records"] == r["acknowledged"]
        and (r["ratio_to_bare"] or 0) >= GOAL_RATIO and replay_ok(r["replay"])
        for r in summary.values() if isinstance(r, dict)
    )
    print(json.dumps(summary))
    return 0 if summary["ok"] else 1


def replay_ok(replay: dict | None) -> bool:
    return replay is None or (replay["seconds"] < GOAL_REPLAY_SECONDS and replay["lost"] == 0
                              and replay["duplicated"] == 0 and replay["errors"] == 0
                              and replay["confirmed"] == replay["marks"])


if __name__ == "__main__":
    sys.exit(main())
