"""Issue 19, acceptance 3: a district with no programme report for the period the office set and an unanswered
overdue circular is flagged with both reasons on the office's home page and in the morning digest; a report
clears the first reason (the circular's stays until it is answered)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests.circulars.conftest import world  # noqa: F401
from tests.flags.test_circulars_reason import overdue  # noqa: F401
from tracker.extensions import db
from tracker.flags import queries as q
from tracker.flags.models import FlagReason
from tracker.reminders import operations as reminder_ops
from tracker.reminders.models import MessageKind, OutboxMessage
from tracker.reports import operations as report_ops
from tracker.reports import queries as report_queries
from tracker.timeutil import now_utc

TODAY = date(2026, 12, 1)


def _report(user, district, held_on):
    kind = report_queries.kinds()[0]
    return report_ops.submit_report(user, district, report_ops.ReportData(
        kind.id, held_on, "ज़िला कांग्रेस कार्यालय", 120, "कार्यकर्ता बैठक हुई"), [])


def test_no_report_and_an_overdue_circular_flag_the_district_until_it_acts(client, auth, world, overdue):  # noqa: F811
    report_ops.add_standard_kinds()
    # Raisen reported a programme 40 days ago (the state's first report); Rajgarh never has.
    _report(world.office, world.district("raisen"), TODAY - timedelta(days=40))
    world.office.email = "karyalay@example.org"
    db.session.commit()

    rajgarh = q.flag_of(world.district("rajgarh"), TODAY)
    assert [r.kind for r in rajgarh.reasons] == [FlagReason.NO_REPORT, FlagReason.CIRCULARS_OVERDUE]
    raisen = q.flag_of(world.district("raisen"), TODAY)
    assert raisen.reasons[0].kind == FlagReason.NO_REPORT and raisen.reasons[0].since == TODAY - timedelta(days=40)

    auth.login("karyalay")
    client.post("/locale", data={"locale": "hi"})
    home = client.get("/home").get_data(as_text=True)
    assert "लाल झंडे वाले जिले" in home
    line = next(part for part in home.split("<li") if "राजगढ़" in part and "अभी तक कोई कार्यक्रम दर्ज नहीं" in part)
    assert "1 निर्देश नियत तिथि के बाद भी अनुत्तरित" in line

    assert reminder_ops.queue_digest(TODAY, now_utc()) == 1
    db.session.commit()
    digest = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.DIGEST)).one()
    assert ("- राजगढ़: अभी तक कोई कार्यक्रम दर्ज नहीं; 1 निर्देश नियत तिथि के बाद भी अनुत्तरित"
            in digest.body), digest.body

    # Rajgarh's president reports a programme held two days ago: the first reason clears, the circular's stays.
    president = next(u for u in world.president_logins if u.person_id == world.region.presidents[2].id)
    _report(president, world.district("rajgarh"), TODAY - timedelta(days=2))
    db.session.commit()
    assert [r.kind for r in q.flag_of(world.district("rajgarh"), TODAY).reasons] == [FlagReason.CIRCULARS_OVERDUE]
    home = client.get("/home").get_data(as_text=True)
    line = next(part for part in home.split("<li") if "राजगढ़" in part and "निर्देश" in part)
    assert "कोई कार्यक्रम दर्ज नहीं" not in line
