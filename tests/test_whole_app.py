"""The whole app on the Madhya Pradesh demo data with the reference meeting planned and published:
every page any role can open renders (no 5xx), and in Hindi shows no English UI text."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask import current_app

from tests.i18n_support import english_leaks
from tracker.auth.models import User
from tracker.extensions import db

USERS = ("admin", "office", "coordinator", "harish", "sanjay", "praveen")


@pytest.fixture
def world():
    from tracker.demo import load_demo
    from tracker.directory.models import Person, Unit
    from tracker.meetings import operations as meeting_ops
    from tracker.meetings import planning
    from tracker.meetings.models import Invitation, MeetingSession

    load_demo()
    context, plan = planning.make_plan(planning.PlanInput(
        division_codes=["bhopal", "narmadapuram", "indore", "ujjain"], start=date(2025, 9, 22), days=2,
        pins={date(2025, 9, 22): ["bhopal", "narmadapuram"]}))
    assert plan.ok, plan.problems
    meeting = planning.save_plan(plan, context, {"title_en": "District presidents' meeting",
                                                 "title_hi": "जिला अध्यक्षों की बैठक", "purpose": "review",
                                                 "venue": "Indira Bhawan, Bhopal"})
    meeting_ops.publish_meeting(meeting)
    for user in db.session.scalars(sa.select(User)):
        user.locale = "hi"
    db.session.commit()
    praveen = db.session.scalar(sa.select(Person).where(Person.name_en == "Praveen Saxena"))
    session = db.session.scalar(sa.select(MeetingSession).where(MeetingSession.meeting_id == meeting.id)
                                .order_by(MeetingSession.starts_at))
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.session_id == session.id))
    ids = {
        "unit_id": db.session.scalar(sa.select(Unit.id).where(Unit.code == "bhopal_city")),
        "division_id": db.session.scalar(sa.select(Unit.id).where(Unit.code == "bhopal_division")),
        "person_id": praveen.id,
        "meeting_id": meeting.id,
        "session_id": session.id,
        "invitation_id": invitation.id,
        "campaign_id": meeting.campaign_id or 1,
    }
    return ids


def _urls(app, ids):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        if any(k in rule.endpoint for k in ("export", "ics", "feed", "download", "template", "qr", "svg", "csv", "xlsx")):
            continue
        url = rule.rule
        ok = True
        for arg in rule.arguments:
            if arg not in rule._converters:
                continue
            if arg not in ids:
                ok = False
                break
            url = re.sub(rf"<(?:[^:<>]+:)?{arg}>", str(ids[arg]), url)
        if ok:
            yield rule.endpoint, url


def test_every_page_renders_in_hindi_for_every_role(app, client, auth, world):
    checked = 0
    problems = []
    for username in USERS:
        auth.login(username, current_app.config["DEMO_PASSWORD"])
        for endpoint, url in _urls(app, world):
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{username} {url} ({endpoint}): {response.status_code}")
                continue
            if response.status_code != 200 or not response.mimetype == "text/html":
                continue
            html = response.get_data(as_text=True)
            if "<html" in html[:300] and 'lang="hi"' not in html[:300]:  # fragments have no <html>
                problems.append(f"{username} {url}: not lang=hi")
            for leak in english_leaks(html):
                problems.append(f"{username} {url}: English {leak!r}")
            checked += 1
        auth.logout()
    assert checked > 40
    assert problems == [], "\n".join(problems[:80])
