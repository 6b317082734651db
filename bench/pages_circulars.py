"""Circulars pages for ``python -m bench.pages``: the status table of a circular sent to every district (its
counts and first page), the list of circulars, and a president's open circulars.

``seed`` sends one circular (a number to answer) to every organizational district, bulk-inserted: a third of the
districts answered, a third acknowledged, a third has not read it; its status table's query count and time must
stay flat from 70 to 1,000 districts.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for

from tracker.circulars.models import AnswerKind, Circular, CircularRecipient, RecipientScope
from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.timeutil import now_utc, today_local

OFFICE, PRESIDENT = "bench_office", "bench_president"
TITLE = "सदस्यता की संख्या भेजें"


def seed(districts: int) -> None:
    now = now_utc()
    circular = Circular(title=TITLE, body="अपने जिले के नए सदस्यों की संख्या भेजें।", answer_kind=AnswerKind.NUMBER,
                        due_on=today_local() + timedelta(days=7), scope=RecipientScope.ALL, sent_at=now)
    db.session.add(circular)
    db.session.flush()
    unit_ids = db.session.scalars(sa.select(Unit.id).where(Unit.level == UnitLevel.DISTRICT).order_by(Unit.id)).all()
    rows = []
    for n, unit_id in enumerate(unit_ids):
        done = n % 3 == 0
        rows.append({"circular_id": circular.id, "district_unit_id": unit_id, "read_at": now if n % 3 < 2 else None,
                     "acknowledged_at": now if n % 3 < 2 else None, "answered_at": now if done else None,
                     "completed_at": now if done else None, "answer_text": "",
                     "answer_number": 100 + n if done else None, "remind_count": 0})
    db.session.execute(sa.insert(CircularRecipient), rows)


def pages() -> list[tuple[str, str, str]]:
    circular_id = db.session.scalar(sa.select(Circular.id).where(Circular.title == TITLE).limit(1))
    return [
        ("circulars.status", url_for("circulars.status", circular_id=circular_id), OFFICE),
        ("circulars.index", url_for("circulars.index"), OFFICE),
        ("circulars.mine", url_for("circulars.mine"), PRESIDENT),
    ]
