"""A small world for the reviews tests: a reviewed district, its president, in-charges of every kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from tests.factories import make_invitation, make_meeting, make_person, make_session, make_user
from tests.worlds import RAJGARH, SEHORE, make_holder, make_region
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


def _named(name: str) -> dict:
    """A person of this world: the same name in both languages, so that pages of either show it."""
    return {"name_en": name, "name_hi": name}


@pytest.fixture
def world() -> World:
    region = make_region([RAJGARH, SEHORE], [_named("Priyavrat Singh"), _named("Other President")])
    state, division, (district, other) = region.state, region.division, region.districts
    campaign = make_campaign()
    checklist = make_checklist(campaign)

    people = {
        "reviewer": make_holder(division, "co_incharge", **_named("Sanjay Dutt")),
        "org": make_holder(state, "org_incharge", **_named("Sanjay Kamle")),
        "state_incharge": make_holder(state, "state_incharge", **_named("Harish Chaudhary")),
        "unrelated": make_holder(division, "co_incharge", **_named("Other Incharge")),
        "president": region.presidents[0],
        "other_president": region.presidents[1],
    }
    users = {key: make_user("president" if person in region.presidents else "incharge", f"u_{key}", person=person)
             for key, person in people.items()}
    users["admin"] = make_user("admin", "u_admin")
    users["office"] = make_user("office", "u_office")
    users["office_granted"] = make_user("office", "u_office_granted", person=make_person(**_named("Office Reader")))
    users["office_granted"].grants = "reviews.read"
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
