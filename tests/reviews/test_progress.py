"""Campaign progress: the numbers, sorting and filtering, the CSV, the chart, and a flat query count."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bench import pages_reviews
from tests.factories import (
    make_invitation,
    make_meeting,
    make_person,
    make_post,
    make_role,
    make_session,
    make_unit,
    make_user,
)
from tests.querycount import count_queries
from tests.reviews.conftest import content
from tracker.attendance.models import Attendance
from tracker.directory.models import Person, Post, Unit, UnitLevel
from tracker.extensions import db
from tracker.reviews import operations as ops
from tracker.reviews import queries as q
from tracker.timeutil import today_local


def _progress_row(rows, unit):
    return next(r for r in rows if r.district.id == unit.id)


def test_latest_signed_off_review_counts(world):
    reviewer = world.users["reviewer"]
    old = ops.start_standalone_note(reviewer, world.district, date(2025, 9, 1), world.campaign, [])
    ops.sign_off(old, reviewer, content(world, readiness=2))
    latest = ops.start_note_for_session(world.session, reviewer)
    yes_no, number, text = world.checklist
    ops.sign_off(latest, reviewer, content(world, readiness=4, answers={str(yes_no.id): "no", str(number.id): 10}))
    draft = ops.start_standalone_note(reviewer, world.district, date(2025, 12, 1), world.campaign, [])
    ops.save_draft(draft, content(world, readiness=1))  # drafts do not count
    today = today_local()
    president = world.people["president"]
    for due, status in ((today - timedelta(days=3), "open"), (today + timedelta(days=3), "in_progress"),
                        (today - timedelta(days=9), "done")):
        item = ops.create_action_item(ops.ItemData("x", president, due), reviewer, latest)
        item.status = ops.ItemStatus(status)
    db.session.commit()

    rows = q.campaign_progress(world.campaign)
    row = _progress_row(rows, world.district)
    assert (row.readiness, row.reviewed_on) == (4, date(2025, 9, 22))
    assert row.checklist_pct == 33  # one of three: "no" does not count, the number does
    assert (row.open_items, row.overdue_items) == (2, 1)
    other = _progress_row(rows, world.other_district)
    assert (other.readiness, other.checklist_pct, other.open_items) == (None, None, 0)


def test_attendance_rate_of_the_president(world):
    president = world.people["president"]
    meeting = make_meeting()
    past = [make_session(meeting, starts_at=datetime(2025, 9, 22, 5 + n, 0, tzinfo=UTC), minutes=30)
            for n in range(4)]
    for session in past:
        make_invitation(session, president)
    for session, status in zip(past[:3], ("present", "late", "absent"), strict=True):
        db.session.add(Attendance(session_id=session.id, person_id=president.id, status=status))
    db.session.commit()
    row = _progress_row(q.campaign_progress(world.campaign), world.district)
    # The one-to-one slot of the world counts too: 2 attended of 5 invited.
    assert row.attendance_pct == 40


def test_page_sorts_filters_and_draws(client, auth, world):
    reviewer = world.users["reviewer"]
    note = ops.start_note_for_session(world.session, reviewer)
    ops.sign_off(note, reviewer, content(world, readiness=5))
    other_division = make_unit("division", code="indore_div", parent=world.state, name_en="Indore", name_hi="इंदौर")
    make_unit("district", code="dhar", parent=other_division, name_en="Dhar", name_hi="धार")
    db.session.commit()
    auth.login("u_office")
    url = f"/reviews/campaigns/{world.campaign.id}/progress"
    body = client.get(url + "?sort=readiness&dir=desc").get_data(as_text=True)
    assert body.index("Rajgarh" if "Rajgarh" in body else "राजगढ़") < body.index("Dhar" if "Dhar" in body else "धार")
    assert "<svg" in body and "chart-bar" in body and "style=" not in body
    filtered = client.get(url + f"?division={other_division.id}").get_data(as_text=True)
    assert ("Dhar" in filtered or "धार" in filtered) and "Rajgarh" not in filtered and "राजगढ़" not in filtered

    response = client.get(url.replace("/progress", "/progress.csv") + "?sort=district")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 4 and rows[0][1] and any(r[1] == "rajgarh" and r[3] == "5" for r in rows)


def test_office_edits_checklist_and_categories(client, auth, world):
    auth.login("u_office")
    url = f"/reviews/campaigns/{world.campaign.id}/checklist"
    client.post(url, data={"label_hi": "सोशल मीडिया टीम", "label_en": "Social media team", "kind": "yes_no"})
    items = q.checklist_items(world.campaign.id)
    assert [i.label_en for i in items][-1] == "Social media team"
    client.post(f"/reviews/checklist-items/{items[-1].id}/move", data={"direction": "up"})
    assert [i.label_en for i in q.checklist_items(world.campaign.id)][-2] == "Social media team"
    client.post("/reviews/categories", data={"name_hi": "गुटबाज़ी", "name_en": "Factionalism"})
    assert [c.name_en for c in q.categories()] == ["Factionalism"]
    auth.logout()
    auth.login("u_reviewer")
    assert client.get(url).status_code == 403
    assert client.get("/reviews/categories").status_code == 403


def test_office_edits_a_checklist_question_and_a_category(client, auth, world):
    auth.login("u_office")
    item = q.checklist_items(world.campaign.id)[0]
    url = f"/reviews/checklist-items/{item.id}"
    response = client.post(url, data={"label_hi": "", "label_en": "x", "kind": "yes_no"})
    assert response.status_code == 200 and 'name="label_hi"' in response.get_data(as_text=True)  # the form again
    response = client.post(url, data={"label_hi": "बूथ समिति", "label_en": "Booth committee", "kind": "yes_no",
                                      "is_archived": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reviews/campaigns/{world.campaign.id}/checklist"
    db.session.expire_all()
    assert (item.label_en, item.is_archived) == ("Booth committee", True)

    client.post("/reviews/categories", data={"name_hi": "गुटबाज़ी", "name_en": "Factionalism"})
    category = q.categories()[0]
    response = client.post(f"/reviews/categories/{category.id}", data={"name_hi": "गुट", "name_en": "Factions"})
    assert response.status_code == 302 and response.headers["Location"] == "/reviews/categories"
    with client.session_transaction() as state:
        assert state["_flashes"][-1][0] == "success"
    db.session.expire_all()
    assert category.name_en == "Factions"


# --- scale -----------------------------------------------------------------------------------------


def _grow_directory(total: int) -> None:
    """Add divisions of seven districts, each with a current president, until ``total`` districts exist."""
    role = make_role("district_president", single_holder=True)
    state = db.session.scalar(sa.select(Unit).where(Unit.level == UnitLevel.STATE))
    have = db.session.scalar(sa.select(sa.func.count(Unit.id)).where(Unit.level == UnitLevel.DISTRICT))
    for start in range(have, total, 7):
        division = make_unit("division", code=f"div{start}", parent=state, commit=False)
        numbers = range(start, min(start + 7, total))
        db.session.execute(sa.insert(Unit), [
            {"code": f"sd{n}", "level": UnitLevel.DISTRICT, "parent_id": division.id, "name_en": f"District {n}",
             "name_hi": f"जिला {n}"} for n in numbers
        ])
        db.session.execute(sa.insert(Person), [{"name_en": f"President {n}", "name_hi": f"अध्यक्ष {n}",
                                                "mobile": f"+9177{n:08d}"} for n in numbers])
    units = db.session.execute(sa.select(Unit.id, Unit.code).where(Unit.code.like("sd%"))).all()
    people = dict(db.session.execute(sa.select(Person.mobile, Person.id).where(Person.mobile.like("+9177%"))).all())
    have_post = set(db.session.scalars(sa.select(Post.unit_id)))
    rows = [{"person_id": people[f"+9177{int(code[2:]):08d}"], "unit_id": unit_id, "role_id": role.id,
             "start_date": date(2025, 8, 16)} for unit_id, code in units if unit_id not in have_post]
    db.session.execute(sa.insert(Post), rows)
    db.session.commit()


def _queries(client, url: str) -> int:
    client.get(url)  # warm-up
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_query_counts_are_flat_from_60_to_1000_districts(app, client, auth):
    """Every page of bench/pages_reviews.py issues as many queries for 1,000 districts as for 60."""
    state = make_unit("state", code="mp_scale")
    _grow_directory(60)
    reader = make_person("State Incharge")
    make_post(reader, state, "state_incharge")
    make_user("incharge", "bench_incharge", person=reader)
    make_user("office", "bench_office")
    president = db.session.scalar(sa.select(Post.person_id).order_by(Post.id).limit(1))
    make_user("president", "bench_president", person=president)
    with app.test_request_context():
        pages_reviews.seed(60)
        db.session.commit()
        pages = pages_reviews.pages()
    small = {}
    for name, url, username in pages:
        auth.login(username)
        small[name] = _queries(client, url)
        auth.logout()

    _grow_directory(1000)
    with app.test_request_context():
        campaign = pages_reviews.campaign()
        new = _new_districts()
        presidents = q.current_presidents(None)
        pages_reviews._notes(campaign, q.checklist_items(campaign.id), new, presidents, datetime.now(UTC))
        pages_reviews._items(campaign, new, presidents, datetime.now(UTC))
        db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Unit.id)).where(Unit.level == UnitLevel.DISTRICT)) == 1000
    large = {}
    for name, url, username in pages:
        auth.login(username)
        large[name] = _queries(client, url)
        auth.logout()
    assert large == small


def _new_districts() -> list[int]:
    from tracker.reviews.models import ReviewNote

    reviewed = sa.select(ReviewNote.district_unit_id)
    return list(db.session.scalars(
        sa.select(Unit.id).where(Unit.level == UnitLevel.DISTRICT, Unit.id.not_in(reviewed))
    ))


def test_office_starts_from_the_standard_lists(client, auth, world):
    from tracker.campaigns.models import Campaign

    other = Campaign(code="training", name_hi="प्रशिक्षण", name_en="Training")
    db.session.add(other)
    db.session.commit()
    auth.login("u_office")
    client.post(f"/reviews/campaigns/{other.id}/checklist/standard")
    client.post(f"/reviews/campaigns/{other.id}/checklist/standard")  # only once
    assert [i.label_en for i in q.checklist_items(other.id)] == [en for _hi, en, _k in ops.STANDARD_CHECKLIST]
    client.post("/reviews/categories/standard")
    assert len(q.categories()) == len(ops.STANDARD_CATEGORIES)
