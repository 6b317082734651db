"""Issue 12, acceptance 1d (RSVP): a district president, on a phone in Hindi, opens their agenda from the
home page and answers "sending a representative" (name and mobile) for the group session; the office's
session page then counts the reply and the roster shows the representative. The database is read after
each submit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.journeys.district_world import NOW, make_district_world, read
from tests.journeys.helpers import check_page, journey_page, login
from tracker.auth.models import Role
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.meetings.models import Invitation, InvitationReply

pytestmark = pytest.mark.browser


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def replies_of(invitation_id: int) -> list[tuple]:
    """(answer, after_cutoff, representative's name, mobile, representative's session) of the invitation."""
    return [tuple(row) for row in db.session.execute(
        sa.select(InvitationReply.answer, InvitationReply.after_cutoff, Person.name_hi, Person.mobile,
                  Invitation.session_id)
        .join(Invitation, Invitation.id == InvitationReply.representative_invitation_id)
        .join(Person, Person.id == Invitation.person_id)
        .where(InvitationReply.invitation_id == invitation_id))]


def test_president_sends_a_representative_and_the_office_sees_it(browser, serve_app):
    world = make_district_world()
    group_id = world.group.id
    invitation_id = db.session.scalar(sa.select(Invitation.id).where(
        Invitation.session_id == group_id, Invitation.person_id == world.president.id))
    make_user(Role.OFFICE, "karyalay", locale="hi")
    db.session.commit()
    served = serve_app(now=NOW)

    with journey_page(browser, "president-reply-failed", served=served, phone=True, locale="hi") as page:
        login(page, "adhyaksh", DEFAULT_PASSWORD, served.url)
        assert page.url.endswith("/agenda"), page.url  # home is the agenda
        entry = page.locator("article.agenda-entry").filter(has_text="भोपाल संभाग का सामूहिक सत्र")
        entry.get_by_role("link", name=hindi("Reply: will you come?")).click()
        page.get_by_role("heading", level=1, name=hindi("Your reply")).wait_for()
        page.get_by_label(hindi("Sending a representative")).check()
        page.get_by_label(hindi("Representative's name")).fill("रमेश यादव")
        page.get_by_label(hindi("Representative's mobile number")).fill("98270 12345")
        check_page(page, "president-reply-01-form")
        page.get_by_role("button", name=hindi("Send the reply")).click()
        page.locator("#flashes").filter(has_text=hindi("Thank you: your reply was saved.")).wait_for()
        main = page.locator("main").inner_text()
        assert hindi("Your reply: %(answer)s", answer=hindi("Sending a representative")) in main
        # 09:30 on the day of the 11:00 session: after the cut-off, taken but flagged.
        assert hindi("This reply came after the cut-off; the office sees it flagged.") in page.locator(
            "#flashes").inner_text()
        check_page(page, "president-reply-02-confirmed")
        stored = read(served, lambda: [(str(a), late, name, mobile, s) for a, late, name, mobile, s in
                                       replies_of(invitation_id)])
        assert stored == [("representative", True, "रमेश यादव", "+919827012345", group_id)]

    with journey_page(browser, "office-replies-failed", served=served, phone=True, locale="hi") as page:
        login(page, "karyalay", DEFAULT_PASSWORD, served.url)
        page.goto(f"{served.url}/meetings/sessions/{group_id}")
        counts = page.locator("#replies")
        counts.wait_for()
        assert counts.locator('dd[data-answer="representative"]').inner_text() == "1"
        check_page(page, "office-replies-01-session")
        page.goto(f"{served.url}/attendance/sessions/{group_id}")
        row = page.locator("li.att-row").filter(has_text="रमेश यादव")
        assert hindi("Representing %(name)s", name="प्रियव्रत सिंह") in row.inner_text()
        check_page(page, "office-replies-02-roster")
