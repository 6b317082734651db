"""PDF benchmark: ``python -m bench.pdf`` from the repository root (issue 14, acceptance 3).

The day sheet's PDF (``/meetings/<id>/days/<day>?format=pdf``) of a day whose group session has 71
invitees (a Madhya Pradesh day: one row per district president, each with a signature cell), then 142
and 284, each on its own meeting of a fresh SQLite database built by ``bench.synth``: the median of
``--runs`` requests, the PDF's pages and size, and the time per row. Goals: 71 rows under 2 seconds;
the time grows at most linearly with the rows (each doubling at most doubles it, with 15% for noise).

Human-readable lines first; the LAST line is one JSON object::

    {"rows": {"71": {"ms", "pages", "bytes"}, ...}, "ratios": {"142/71", "284/142"},
     "goals": {"under_ms": 2000, "linear_max": 2.3, "failing": [...]}}
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import statistics
import sys
import tempfile
import time
from datetime import time as clock_time
from datetime import timedelta

import sqlalchemy as sa

from bench import synth
from bench.pages import login, make_app

ROWS = (71, 142, 284)
GOAL_MS = 2000
GOAL_LINEAR = 2.3  # a doubling of rows may cost at most 2x the time, 15% allowed for a shared machine


def seed(rows: int, people: list[int], day) -> str:
    """A published one-day meeting whose one group session invites ``rows`` people; its day sheet URL."""
    from flask import url_for

    from tracker.directory.models import Person
    from tracker.extensions import db
    from tracker.meetings import operations as ops

    meeting = ops.create_meeting({"title_en": f"Day sheet of {rows}", "title_hi": f"{rows} जिलों की बैठक",
                                  "purpose": "review", "starts_on": day, "ends_on": day, "venue": "State office"})
    session = ops.add_session(meeting, {"kind": "group", "day": day, "start": clock_time(11, 0),
                                        "end": clock_time(14, 0), "room": "Hall", "covered_unit_ids": [],
                                        "title_hi": "संगठन सृजन अभियान: जिला अध्यक्ष", "title_en": "District presidents"})
    for person in db.session.scalars(sa.select(Person).where(Person.id.in_(people[:rows])).order_by(Person.id)):
        ops.invite_person(session, person)
    db.session.commit()
    return url_for("meetings.day_sheet", meeting_id=meeting.id, day=day.isoformat(), format="pdf")





def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from pypdf import PdfReader

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from tracker.directory.models import Person
    from tracker.extensions import db
    from tracker.timeutil import today_local

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{tmp}/bench.db", tmp)
        with app.app_context():
            from tracker.commands import upgrade_database

            upgrade_database()
            synth.build(max(ROWS))
            db.session.commit()
            people = db.session.scalars(sa.select(Person.id).order_by(Person.id)).all()
            start = today_local() + timedelta(days=40)
            urls = {rows: seed(rows, people, start + timedelta(days=i)) for i, rows in enumerate(ROWS)}
        client = app.test_client()
        with app.app_context():
            login(client, "bench_office")
        results = {}
        for rows, url in urls.items():
            response = client.get(url)  # warm-up (fonts, templates)
            if response.status_code != 200 or response.mimetype != "application/pdf":
                raise RuntimeError(f"{url}: {response.status_code} {response.mimetype}")
            times = []
            for _ in range(args.runs):
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            pages = len(PdfReader(io.BytesIO(response.data)).pages)
            results[rows] = {"ms": round(statistics.median(times), 1), "pages": pages, "bytes": len(response.data)}
            print(f"day sheet PDF, {rows:4d} rows: {results[rows]['ms']:8.1f} ms median of {args.runs} "
                  f"({results[rows]['ms'] / rows:.2f} ms a row), {pages} pages, {len(response.data) // 1024} KB")
    ratios = {f"{b}/{a}": round(results[b]["ms"] / results[a]["ms"], 2) for a, b in zip(ROWS, ROWS[1:], strict=False)}
    print("time ratios (rows double each step): " + ", ".join(f"{k}: {v}" for k, v in ratios.items()))
    failing = []
    if results[71]["ms"] >= GOAL_MS:
        failing.append(f"71 rows took {results[71]['ms']} ms (goal < {GOAL_MS})")
    failing += [f"ratio {k} = {v} > {GOAL_LINEAR}" for k, v in ratios.items() if v > GOAL_LINEAR]
    print("goals met" if not failing else "FAILING: " + "; ".join(failing))
    print(json.dumps({"rows": {str(k): v for k, v in results.items()}, "ratios": ratios,
                      "goals": {"under_ms": GOAL_MS, "linear_max": GOAL_LINEAR, "failing": failing}}))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
