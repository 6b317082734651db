"""PDF benchmark: ``python -m bench.pdf`` from the repository root (issue 14, acceptance 3).

The day sheet's PDF (``/meetings/<id>/days/<day>?format=pdf``) of a day whose group session has 71
invitees (a Madhya Pradesh day: one row per district president, each with a signature cell), then 142
and 284, each on its own meeting of a fresh SQLite database built by ``bench.synth``: the median of
``--runs`` requests (and the best, which a shared machine's load disturbs least), the PDF's pages and size,
and the time per row. Goals: 71 rows under 2 seconds (median); the time grows at most linearly with the
rows: the best time per row at 284 rows at most that at 71 rows, with 15% for noise (the ratios of
each doubling are printed too: about 2 means linear).

Human-readable lines first; the LAST line is one JSON object::

    {"rows": {"71": {"ms", "best_ms", "pages", "bytes"}, ...}, "ratios": {"142/71", "284/142", "284/71"},
     "goals": {"under_ms": 2000, "per_row_growth_max": 1.15, "failing": [...]}}
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
GOAL_PER_ROW = 1.15  # the time per row may not grow with the rows (15% allowed for a shared machine)


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
    parser.add_argument("--runs", type=int, default=7)
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
            results[rows] = {"ms": round(statistics.median(times), 1), "best_ms": round(min(times), 1),
                             "pages": pages, "bytes": len(response.data)}
            print(f"day sheet PDF, {rows:4d} rows: {results[rows]['ms']:8.1f} ms median of {args.runs}, "
                  f"best {results[rows]['best_ms']:.1f} ms ({results[rows]['best_ms'] / rows:.2f} ms a row), "
                  f"{pages} pages, {len(response.data) // 1024} KB")
    pairs = [*zip(ROWS, ROWS[1:], strict=False), (ROWS[0], ROWS[-1])]
    ratios = {f"{b}/{a}": round(results[b]["best_ms"] / results[a]["best_ms"], 2) for a, b in pairs}
    print("best-time ratios (rows x2, x2, x4): " + ", ".join(f"{k}: {v}" for k, v in ratios.items()))
    failing = []
    if results[71]["ms"] >= GOAL_MS:
        failing.append(f"71 rows took {results[71]['ms']} ms (goal < {GOAL_MS})")
    small, large = ROWS[0], ROWS[-1]
    growth = (results[large]["best_ms"] / large) / (results[small]["best_ms"] / small)
    print(f"time per row at {large} rows / at {small} rows: {growth:.2f} (goal <= {GOAL_PER_ROW})")
    if growth > GOAL_PER_ROW:
        failing.append(f"time per row grew {growth:.2f}x from {small} to {large} rows (goal <= {GOAL_PER_ROW})")
    print("goals met" if not failing else "FAILING: " + "; ".join(failing))
    print(json.dumps({"rows": {str(k): v for k, v in results.items()}, "ratios": ratios,
                      "goals": {"under_ms": GOAL_MS, "per_row_growth_max": GOAL_PER_ROW, "failing": failing}}))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
