"""A small world for the reviews tests: a reviewed district, its president, in-charges of every kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from tests.factories import (
    make_invitation,
    make_meeting,
    make_person,
    make_post,
    make_session,
    make_unit,
    make_user,
)
from tracker.campaigns.models import Campaign
from tracker.extensions import db
from tracker.reviews import operations as ops
from tracker.reviews.models import ChecklistKind

SECRET = "गुप्त-टिप्पणी secret-strategy-42"
SECRET_REMARK = "private-remark-xyz"


@dataclass
class World:
    state: object
    division: object
    district: object
    other_district: object
    campaign: Campaign
    session: object
    users: dict
    people: dict
    checklist: list


def make_campaign(code: str = "sangathan_srijan") -> Campaign:
    campaign = Campaign(code=code, name_hi="संगठन सृजन अभियान", name_en="Sangathan Srijan Abhiyan", is_active=True)
    db.session.add(campaign)
    db.session.commit()
    return campaign


def make_checklist(campaign: Campaign) -> list:
    template = ops.template_for(campaign)
    items = [
        ops.add_checklist_item(template, "ब्लॉक समितियाँ गठित", "Block committees formed", ChecklistKind.YES_NO),
        ops.add_checklist_item(template, "सदस्यता संख्या", "Membership numbers", ChecklistKind.NUMBER),
        ops.add_checklist_item(template, "कार्यालय", "Office space", ChecklistKind.TEXT),
    ]
    db.session.commit()
    return items


def _person_user(role: str, username: str, name_en: str, post: tuple | None = None, grants: str = ""):
    person = make_person(name_en=name_en, name_hi=name_en)
    if post is not None:
        make_post(person, post[0], post[1])
    user = make_user(role, username, person=person)
    if grants:
        user.grants = grants
        db.session.commit()
    return person, user


@pytest.fixture
def world() -> World:
    state = make_unit("state", code="mp", name_en="Madhya Pradesh", name_hi="मध्य प्रदेश")
    division = make_unit("division", code="bhopal_div", parent=state, name_en="Bhopal", name_hi="भोपाल")
    district = make_unit("district", code="rajgarh", parent=division, name_en="Rajgarh", name_hi="राजगढ़")
    other = make_unit("district", code="sehore", parent=division, name_en="Sehore", name_hi="सीहोर")
    campaign = make_campaign()
    checklist = make_checklist(campaign)

    people, users = {}, {}
    specs = {
        "reviewer": ("incharge", "Sanjay Dutt", (division, "co_incharge")),
        "org": ("incharge", "Sanjay Kamle", (state, "org_incharge")),
        "state_incharge": ("incharge", "Harish Chaudhary", (state, "state_incharge")),
        "unrelated": ("incharge", "Other Incharge", (division, "co_incharge")),
        "president": ("president", "Priyavrat Singh", (district, "district_president")),
        "other_president": ("president", "Other President", (other, "district_president")),
    }
    for key, (role, name, post) in specs.items():
        people[key], users[key] = _person_user(role, f"u_{key}", name, post)
    users["admin"] = make_user("admin", "u_admin")
    users["office"] = make_user("office", "u_office")
    _p, users["office_granted"] = _person_user("office", "u_office_granted", "Office Reader", grants="reviews.read")
    users["coordinator"] = make_user("coordinator", "u_coordinator")

    meeting = make_meeting(campaign_id=campaign.id)
    session = make_session(meeting, starts_at=datetime(2025, 9, 22, 9, 0, tzinfo=UTC), minutes=15,
                           kind="one_to_one", district_unit_id=district.id)
    make_invitation(session, people["reviewer"], "reviewer", unit=district)
    make_invitation(session, people["president"], "invitee", unit=district)
    return World(state, division, district, other, campaign, session, users, people, checklist)


def content(world: World, **overrides) -> ops.NoteContent:
    yes_no, number, text = world.checklist
    values = dict(
        answers={str(yes_no.id): "yes", str(number.id): 1200, str(text.id): "किराये का कार्यालय"},
        challenges=f"Factionalism. {SECRET}", strategy="Form booth committees by October.",
        decisions="Weekly calls.", readiness=3, private_remark=SECRET_REMARK,
    )
    values.update(overrides)
    return ops.NoteContent(**values)


@pytest.fixture
def signed_note(world):
    """A signed-off note of the world's one-to-one slot, revised once (versions 1 and 2), with an action item."""
    reviewer = world.users["reviewer"]
    note = ops.start_note_for_session(world.session, reviewer)
    ops.save_draft(note, content(world))
    ops.sign_off(note, reviewer)
    ops.revise(note, reviewer, content(world, decisions="Weekly calls. Monthly visit."))
    ops.create_action_item(
        ops.ItemData("Form booth committees", world.people["president"], date(2025, 10, 15)), reviewer, note
    )
    db.session.commit()
    return note
