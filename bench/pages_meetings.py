"""Meetings pages for ``python -m bench.pages``: a meeting's timetable and a president's agenda.

``seed`` plans, for every state of the synthetic directory, a one-day meeting of the district
presidents of its first two divisions (with their one-to-ones), a month from now, one state a day;
the first state's meeting is published. The number of meetings, sessions and invitations grows with
the directory; the pages shown stay the same size. (Only one is published: publishing queues every
invitee's messages, which is the reminders benchmark's business, not this one's.)
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for

from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings import planning
from tracker.meetings.models import Meeting
from tracker.timeutil import today_local

OFFICE = "bench_office"
PRESIDENT = "bench_president"


def seed(districts: int) -> None:
    start = today_local() + timedelta(days=30)
    states = db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.STATE).order_by(Unit.id)).all()
    for index, state in enumerate(states):
        divisions = db.session.scalars(sa.select(Unit.code).where(Unit.parent_id == state.id,
                                                                  Unit.level == UnitLevel.DIVISION)
                                       .order_by(Unit.id).limit(2)).all()
        day = start + timedelta(days=index)
        context, plan = planning.make_plan(planning.PlanInput(division_codes=list(divisions), start=day, days=1, breaks=[]))
        if not plan.ok:
            raise RuntimeError(f"bench plan for {state.code} failed: {plan.problems}")
        meeting = planning.save_plan(plan, context, {"title_en": f"District presidents of {state.name_en}",
                                                     "title_hi": f"{state.name_hi} के जिला अध्यक्ष",
                                                     "venue": "State office", "purpose": "review"})
        if index == 0:
            ops.publish_meeting(meeting)
        db.session.flush()


def pages() -> list[tuple[str, str, str]]:
    meeting = db.session.scalars(sa.select(Meeting).order_by(Meeting.id).limit(1)).one()
    return [
        ("meetings.timetable", url_for("meetings.timetable", meeting_id=meeting.id), OFFICE),
        ("meetings.agenda", url_for("meetings.agenda"), PRESIDENT),
        # The PDFs (issue 14): the published meeting's day sheet (a day of two divisions' presidents,
        # with its signature column) and the president's agenda on a phone page.
        ("meetings.day_sheet.pdf", url_for("meetings.day_sheet", meeting_id=meeting.id,
                                           day=meeting.starts_on.isoformat(), format="pdf"), OFFICE),
        ("meetings.agenda.pdf", url_for("meetings.agenda", format="pdf", page="phone"), PRESIDENT),
    ]
