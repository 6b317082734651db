"""Each rule and its SQL twin agree: for every role and every object of a small world, the rule allows the
object exactly when the object is among ``select(Model.id).where(clause(user))``.

The world has published and draft meetings, sessions the user is invited to and not, review notes the
user reviews and not, action items owned, reviewed and neither, attendance records of oneself and of
others, people and posts of oneself and of others. An *audience* twin (the users a rule allows) is
checked on the role's own user.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tracker import policy
from tracker.attendance import operations as attendance_ops
from tracker.directory.models import Post
from tracker.extensions import db
from tracker.reports import operations as report_ops
from tracker.reports import queries as report_queries
from tracker.reviews import operations as review_ops

PUBLISHED_AT = datetime(2025, 9, 1, 6, 0, tzinfo=UTC)

# role key → (login role, post held by the user's person (unit key, post code) or None, has a person, grants)
ROLES = {
    "admin": ("admin", None, False, ""),
    "office": ("office", None, False, ""),
    "office_with_read_grant": ("office", None, True, "reviews.read"),
    "coordinator": ("coordinator", None, True, ""),
    "org_incharge": ("incharge", ("state", "org_incharge"), True, ""),
    "state_incharge": ("incharge", ("state", "state_incharge"), True, ""),
    "reviewer_incharge": ("incharge", ("division", "co_incharge"), True, ""),
    "other_incharge": ("incharge", ("division", "co_incharge"), True, ""),
    "incharge_without_person": ("incharge", None, False, ""),
    "president": ("president", ("district_a", "district_president"), True, ""),
    "other_president": ("president", ("district_b", "district_president"), True, ""),
    "president_without_person": ("president", None, False, ""),
    # Rights come from the posts held on the day: a term over yesterday gives none (issue 12).
    "former_president": ("president", ("district_a", "district_president", date(2025, 8, 1)), True, ""),
    "former_incharge": ("incharge", ("division", "co_incharge", date(2025, 8, 1)), True, ""),
    # A president's login whose person is also a co-in-charge acts in both roles (the second post below).
    "president_and_co_incharge": ("president", ("district_b", "district_president"), True, ""),
}
ROLES["incharge_holding_a_plain_post"] = ("incharge", ("district_a", "member"), True, "")  # keeps the login's role
SECOND_POSTS = {"president_and_co_incharge": ("division", "co_incharge")}


def _world() -> dict:
    """The users of every role, and the objects the twins filter (see the module's docstring)."""
    units = {"state": factories.make_unit("state", code="mp")}
    units["division"] = factories.make_unit("division", parent=units["state"])
    units["district_a"] = factories.make_unit("district", parent=units["division"])
    units["district_b"] = factories.make_unit("district", parent=units["division"])
    users, people = {}, {}
    for key, (role, post, has_person, grants) in ROLES.items():
        person = factories.make_person(name_en=key.replace("_", " ").title()) if has_person else None
        if post is not None:
            ended = post[2] if len(post) > 2 else None
            factories.make_post(person, units[post[0]], post[1], start_date=date(2024, 1, 1) if ended else None,
                                end_date=ended)
        if key in SECOND_POSTS:
            factories.make_post(person, units[SECOND_POSTS[key][0]], SECOND_POSTS[key][1])
        users[key] = factories.make_user(role, f"twin_{key}", person=person)
        users[key].grants = grants
        people[key] = person
    users["disabled_office"] = factories.make_user("office", "twin_disabled")
    users["disabled_office"].is_active_flag = False
    outsider = factories.make_person(name_en="Outsider")

    # A published meeting: a one-to-one slot of district A (its reviewer and president invited) and a group
    # session (the other president and the coordinator); a draft meeting inviting the president; a published
    # meeting inviting none of the users.
    published = factories.make_meeting(status="published", published_at=PUBLISHED_AT)
    slot = factories.make_session(published, kind="one_to_one", minutes=15,
                                  district_unit_id=units["district_a"].id)
    factories.make_invitation(slot, people["reviewer_incharge"], "reviewer", unit=units["district_a"])
    factories.make_invitation(slot, people["president"], "invitee", unit=units["district_a"])
    group = factories.make_session(published, starts_at=datetime(2025, 9, 22, 8, 0, tzinfo=UTC))
    factories.make_invitation(group, people["other_president"], "invitee", unit=units["district_b"])
    factories.make_invitation(group, people["coordinator"], "guest")
    draft = factories.make_meeting(title_en="Draft meeting")
    draft_session = factories.make_session(draft)
    factories.make_invitation(draft_session, people["president"], "invitee", unit=units["district_a"])
    elsewhere = factories.make_meeting(title_en="Elsewhere", status="published", published_at=PUBLISHED_AT)
    factories.make_invitation(factories.make_session(elsewhere), outsider, "guest")

    # Review notes: the slot's (reviewed by the reviewer) and a standalone one of the other in-charge.
    note_a = review_ops.start_note_for_session(slot, users["reviewer_incharge"])
    note_b = review_ops.start_standalone_note(users["other_incharge"], units["district_b"], date(2025, 9, 23),
                                              None, [])
    # Action items owned by the president (on the slot's note), the other president (on the other note),
    # the coordinator and an outsider (standalone).
    for owner, note, author in ((people["president"], note_a, "reviewer_incharge"),
                                (people["other_president"], note_b, "other_incharge"),
                                (people["coordinator"], None, "office"), (outsider, None, "admin")):
        item = review_ops.ItemData("Follow up", owner, date(2025, 10, 1))
        review_ops.create_action_item(item, users[author], note)

    for session, person in ((slot, people["president"]), (group, people["other_president"]),
                            (group, people["coordinator"])):
        # marked during the session (the marking window judges a mark by when it was made)
        attendance_ops.mark(session, person.id, attendance_ops.Mark("present"), None,
                            at=session.starts_at + timedelta(minutes=10))

    # Circulars: one of the office to both districts, one of the reviewing in-charge to district A.
    from tracker.circulars.models import AnswerKind, Circular, CircularRecipient, RecipientScope

    for sender, districts in ((users["office"], ("district_a", "district_b")),
                              (users["reviewer_incharge"], ("district_a",))):
        circular = Circular(title="Circular", body="Do it", answer_kind=AnswerKind.ACKNOWLEDGE, due_on=date(2025, 10, 1),
                            scope=RecipientScope.DISTRICTS, sender_user_id=sender.id, sent_at=PUBLISHED_AT)
        circular.recipients = [CircularRecipient(district_unit_id=units[key].id) for key in districts]
        db.session.add(circular)
    # Programme reports of district A and of district B.
    report_ops.add_standard_kinds()
    kind = report_queries.kinds()[0]
    for district in (units["district_a"], units["district_b"]):
        report_ops.submit_report(users["office"], district, report_ops.ReportData(kind.id, date(2025, 9, 20),
                                                                                  "Office", 10), [])
    # Files being sent in pieces by the president and by the office.
    from tracker.uploads.models import PartialUpload

    for key in ("president", "office"):
        db.session.add(PartialUpload(user_id=users[key].id, client_key=f"twin-{key}", filename="a.jpg", size=100,
                                     received=0, resumed_from=0))
    # Minutes: approved ones of the group session and of the whole published meeting, a draft of the slot
    # chaired by the coordinator, and approved ones of the meeting that invites none of the users.
    from tracker.minutes.models import Minutes, MinutesStatus

    for n, (meeting, session, status, chair) in enumerate((
            (published, group, MinutesStatus.APPROVED, None), (published, None, MinutesStatus.APPROVED, None),
            (published, slot, MinutesStatus.DRAFT, people["coordinator"]),
            (elsewhere, None, MinutesStatus.APPROVED, None), (draft, None, MinutesStatus.DRAFT, None)), start=1):
        db.session.add(Minutes(meeting=meeting, session=session, scope_key=f"twin{n}", year=2025, number=n,
                               reference=f"MPCC/2025/कार्यवृत्त/{n:03d}", language="hi", texts={}, status=status,
                               version=1 if status == MinutesStatus.APPROVED else 0,
                               chair_person_id=chair.id if chair else None))
    db.session.commit()
    return users


# A twin used on another table's person column: the posts list shows the posts of the people one may see.
COLUMN_USES = [("person.view", Post, Post.person_id, lambda post: post.person)]


def _selected(model, clause) -> frozenset[int]:
    return frozenset(db.session.scalars(sa.select(model.id).where(clause)))


def _checks(user):
    """(action, row, the rule's answer, the clause's answer) for every row a twin filters."""
    uses = [(t.action, t.model, t.clause(user), t.target_of) for t in policy.twins() if not t.audience]
    uses += [(action, model, policy.visible_people_clause(user, column), target)
             for action, model, column, target in COLUMN_USES]
    for action, model, clause, target in uses:
        selected = _selected(model, clause)
        rows = db.session.scalars(sa.select(model)).all()
        assert len(rows) >= 2, f"the world needs objects for {action}"
        for row in rows:
            yield action, row, policy.can(user, action, target(row)), row.id in selected
    for t in policy.twins():
        if t.audience:  # the users the rule allows: asked of the user itself
            yield t.action, user, policy.can(user, t.action), user.id in _selected(t.model, t.clause())


@pytest.mark.parametrize("role", [*ROLES, "disabled_office"])
def test_every_rule_agrees_with_its_sql_twin(role):
    user = _world()[role]
    assert policy.twins(), "no SQL twins registered"
    disagreements = [f"{action}: {row!r} rule={by_rule} clause={by_clause}"
                     for action, row, by_rule, by_clause in _checks(user) if by_rule != by_clause]
    assert disagreements == []


def test_the_world_tells_roles_apart():
    """The comparison above is not vacuous: the twins' answers differ between roles."""
    answers = {key: frozenset((action, row.id) for action, row, by_rule, _ in _checks(user) if by_rule)
               for key, user in _world().items()}
    assert answers["admin"] != answers["president"] != answers["other_president"]
    assert answers["reviewer_incharge"] != answers["other_incharge"] != answers["org_incharge"]
    assert answers["office"] != answers["office_with_read_grant"]
    assert answers["disabled_office"] == frozenset()
    assert answers["former_president"] == answers["former_incharge"] == frozenset()
    assert answers["president"] != frozenset() and answers["reviewer_incharge"] != frozenset()
    # Both posts' rights: every meeting as an in-charge (more than a president), and the actions of one.
    def allowed(key, action):
        return {row_id for done, row_id in answers[key] if done == action}

    assert allowed("president_and_co_incharge", "meeting.view") == allowed("other_incharge", "meeting.view")
    assert allowed("president_and_co_incharge", "meeting.view") > allowed("president", "meeting.view")
    assert allowed("president_and_co_incharge", "action_item.owner") and not allowed("president", "action_item.owner")
    assert allowed("incharge_holding_a_plain_post", "meeting.view") == allowed("other_incharge", "meeting.view")
