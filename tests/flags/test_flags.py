"""Issue 19, red flags: a district with action items overdue is flagged (on the office's and the in-charges' home
pages, in the morning digest, on the progress page, the district's page and its one-to-one review) and the flag
clears itself when the district acts; who may see which districts' flags; the office's setting; flat queries."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests.factories import make_unit, make_user
from tests.querycount import count_queries
from tests.worlds import make_holder
from tracker import policy
from tracker.extensions import db
from tracker.flags import queries as q
from tracker.flags.models import FlagReason, FlagSettings
from tracker.reminders import operations as reminder_ops
from tracker.reminders.models import MessageKind, OutboxMessage
from tracker.reviews import operations as review_ops
from tracker.reviews.models import ItemStatus
from tracker.timeutil import now_utc, today_local


def _hindi(client, auth, username):
    auth.login(username)
    client.post("/locale", data={"locale": "hi"})


def test_overdue_action_items_flag_the_district_and_the_flag_clears_when_it_acts(world, signed_note):
    today = today_local()
    flags = q.flagged_districts(None, today).flags
    assert [f.district.id for f in flags] == [world.district.id]
    (reason,) = flags[0].reasons
    assert reason.kind == FlagReason.ACTIONS_OVERDUE and reason.count == 1 and reason.since == date(2025, 10, 15)

    item = signed_note.action_items[0]
    review_ops.update_action_item(item, world.users["reviewer"], ItemStatus.DONE, "बूथ समितियाँ बन गईं")
    db.session.commit()
    assert q.flagged_districts(None, today).flags == []
    assert not q.flag_of(world.district, today).flagged


def test_office_home_panel_unit_page_progress_and_note_show_the_flag_in_hindi(client, auth, world, signed_note):
    _hindi(client, auth, "u_office")
    home = client.get("/home").get_data(as_text=True)
    assert "लाल झंडे वाले जिले" in home and "राजगढ़" in home and "1 कार्य बिंदु समय से पीछे" in home
    unit_page = client.get(f"/directory/units/{world.district.id}").get_data(as_text=True)
    assert "यह जिला निष्क्रिय हो गया है" in unit_page
    other_page = client.get(f"/directory/units/{world.other_district.id}").get_data(as_text=True)
    assert "कोई लाल झंडा नहीं: यह जिला सक्रिय है।" in other_page
    progress = client.get(f"/reviews/campaigns/{world.campaign.id}/progress").get_data(as_text=True)
    assert "लाल झंडे वाले जिले (1)" in progress
    index = client.get("/flags/").get_data(as_text=True)
    assert "1 जिले पर लाल झंडा" in index and "राजगढ़" in index and "सीहोर" not in index

    auth.logout()
    _hindi(client, auth, "u_reviewer")
    note = client.get(f"/reviews/notes/{signed_note.id}").get_data(as_text=True)
    assert "आज जिले पर लाल झंडे" in note and "1 कार्य बिंदु समय से पीछे" in note


def test_the_morning_digest_lists_the_flagged_districts(world, signed_note):
    office = world.users["office"]
    office.email = "office@example.org"
    db.session.commit()
    assert reminder_ops.queue_digest(today_local(), now_utc()) == 2  # both office logins
    db.session.commit()
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.DIGEST)).all()
    assert len(messages) == 2
    long, short = sorted(messages, key=lambda m: -len(m.body))
    assert "1 जिलों पर लाल झंडा" in short.body  # the SMS text of a login with a mobile number only
    for message in [long]:
        assert "लाल झंडे वाले जिले:\n- राजगढ़: 1 कार्य बिंदु समय से पीछे" in message.body
        assert "सीहोर" not in message.body and not message.body.endswith("\n\n\n")


def test_who_sees_which_districts_flags(client, auth, world, signed_note):
    # Another division of the state with a flagged district and its own co-in-charge.
    far_division = make_unit("division", code="ujjain_div", parent=world.state, name_en="Ujjain", name_hi="उज्जैन")
    far_district = make_unit("district", code="ujjain", parent=far_division, name_en="Ujjain", name_hi="उज्जैन")
    far_incharge = make_holder(far_division, "co_incharge", name_en="Far Incharge", name_hi="दूर प्रभारी")
    db.session.commit()
    make_user("incharge", "u_far", person=far_incharge)
    review_ops.create_action_item(review_ops.ItemData("Call the block presidents", far_incharge,
                                                      today_local() - timedelta(days=3), district_unit_id=far_district.id),
                                  world.users["admin"])
    db.session.commit()
    today = today_local()

    def seen(key):
        user = world.users[key] if key in world.users else db.session.scalars(
            sa.select(type(world.users["admin"])).where(type(world.users["admin"]).username == key)).one()
        return {f.district.code for f in q.flagged_districts(user, today).flags}

    assert seen("office") == {"rajgarh", "ujjain"}
    assert seen("state_incharge") == {"rajgarh", "ujjain"}  # a state in-charge: every district of the state
    assert seen("reviewer") == {"rajgarh"}  # a co-in-charge of Bhopal division: Bhopal's districts only
    assert seen("u_far") == {"ujjain"}
    assert seen("president") == set()
    assert not policy.can(world.users["reviewer"], "flags.view", far_district)

    for username, status in (("u_president", 403), ("u_coordinator", 403), ("u_far", 200)):
        auth.login(username)
        assert client.get("/flags/").status_code == status, username
        assert client.get("/flags/settings").status_code == 403, username
        auth.logout()
    auth.login("u_far")
    page = client.get("/flags/").get_data(as_text=True)
    assert "उज्जैन" in page and "राजगढ़" not in page
    # the far in-charge reads Rajgarh's page in the directory, but not its flags
    assert "district-flags-heading" not in client.get(f"/directory/units/{world.district.id}").get_data(as_text=True)


def test_the_office_sets_the_quiet_period_and_bad_input_is_refused(client, auth, world):
    auth.login("u_office")
    assert client.get("/flags/settings").status_code == 200
    response = client.post("/flags/settings", data={"quiet_days": "0"})
    assert response.status_code == 200 and db.session.scalar(sa.select(sa.func.count(FlagSettings.id))) == 0
    response = client.post("/flags/settings", data={"quiet_days": "45"})
    assert response.status_code == 302
    assert db.session.scalars(sa.select(FlagSettings)).one().quiet_days == 45
    assert q.quiet_days() == 45
    client.post("/flags/settings", data={"quiet_days": "20"})
    db.session.expire_all()
    assert db.session.scalars(sa.select(FlagSettings)).one().quiet_days == 20


def test_the_flags_page_and_home_issue_the_same_queries_for_2_and_22_flagged_districts(client, auth, world,
                                                                                         signed_note):
    auth.login("u_office")
    client.get("/flags/")

    def counts():
        with count_queries() as flags_page:
            assert client.get("/flags/").status_code == 200
        with count_queries() as home:
            assert client.get("/home").status_code == 200
        return flags_page.count, home.count

    review_ops.create_action_item(review_ops.ItemData("Report", world.people["other_president"],
                                                      today_local() - timedelta(days=1), district_unit_id=world.other_district.id),
                                  world.users["admin"])
    db.session.commit()
    few = counts()
    for n in range(20):
        district = make_unit("district", code=f"d{n}", parent=world.division, name_en=f"District {n}",
                             name_hi=f"जिला {n}")
        db.session.commit()
        review_ops.create_action_item(review_ops.ItemData(f"Item {n}", world.people["reviewer"],
                                                          today_local() - timedelta(days=2), district_unit_id=district.id),
                                      world.users["admin"])
    db.session.commit()
    assert q.flagged_districts(None, today_local()).total == 22
    assert counts() == few
