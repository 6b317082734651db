"""Minutes pages for ``python -m bench.pages``: the approved minutes of the published meeting (two divisions'
district presidents, their attendance table and action items), on their page and as the PDF (issue 14).

``seed`` writes and approves the minutes of the first (published) meeting of ``bench.pages_meetings``; the
directory grows with the scale while these minutes stay the same size, so their queries must not grow.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for

from tracker.auth.models import User
from tracker.extensions import db
from tracker.meetings.models import Meeting
from tracker.minutes import operations as ops
from tracker.minutes.models import Minutes
from tracker.timeutil import now_utc

OFFICE = "bench_office"


def seed(districts: int) -> None:
    meeting = db.session.scalars(sa.select(Meeting).order_by(Meeting.id).limit(1)).one()
    office = db.session.scalar(sa.select(User).where(User.username == OFFICE))
    minutes = ops.start(meeting, None, office, "hi")
    texts = {"opening": "प्रदेश अध्यक्ष ने बैठक आरंभ की। सभी जिला अध्यक्षों का स्वागत हुआ।",
             "decisions": "1. हर ब्लॉक में बूथ समितियाँ 15 अक्टूबर तक।\n2. सदस्यता सूची हर सप्ताह भेजी जाएगी।"}
    for key in sorted(ops.allowed_keys(minutes)):
        if key.startswith("item-"):
            texts[key] = "बूथ समितियों पर चर्चा हुई।\n\n- हर ब्लॉक में समिति बनेगी\n- प्रगति की समीक्षा हर माह"
    now = now_utc() - timedelta(days=1)
    ops.save(minutes, office, texts, "hi", now)
    ops.approve(minutes, office, now)
    db.session.flush()


def pages() -> list[tuple[str, str, str]]:
    minutes = db.session.scalars(sa.select(Minutes).order_by(Minutes.id).limit(1)).one()
    return [
        ("minutes.show", url_for("minutes.show", minutes_id=minutes.id), OFFICE),
        # The minutes' PDF: letterhead, the sessions and their agenda, attendance by district, the signature.
        ("minutes.print.pdf", url_for("minutes.print_page", minutes_id=minutes.id, format="pdf"), OFFICE),
    ]
