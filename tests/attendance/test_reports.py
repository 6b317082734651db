from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest

from tests.attendance.conftest import build_world
from tracker.attendance import operations as ops
from tracker.attendance import reports
from tracker.attendance.models import AttendanceStatus
from tracker.extensions import db
from tracker.timeutil import now_utc

S = AttendanceStatus


@pytest.fixture
def marked(world, coordinator):
    p = world.people  # divisions alternate: people 0, 2, 4 in Division 1; 1, 3, 5 in Division 2
    ops.mark(world.session, p[0].id, ops.Mark(S.PRESENT), coordinator.id)
    ops.mark(world.session, p[1].id, ops.Mark(S.LATE, late_at=now_utc()), coordinator.id)
    ops.mark(world.session, p[2].id, ops.Mark(S.ABSENT), coordinator.id)
    ops.mark(world.session, p[3].id, ops.Mark(S.REPRESENTED, represented_by_name="X"), coordinator.id)
    ops.mark(world.session, p[4].id, ops.Mark(S.EXCUSED), coordinator.id)
    db.session.commit()
    return world


def _by(report, division, district=""):
    return next(r for r in report.rows if r["division"] == division and r["district"] == district)


def test_session_report_counts_by_division_and_district(app, marked):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        report = reports.session_report(marked.session)
        names = {d.id: d.name_en for d in marked.divisions}
    div1 = _by(report, names[marked.divisions[0].id])
    assert (div1["invited"], div1["present"], div1["absent"], div1["excused"]) == (3, 1, 1, 1)
    assert div1["rate"] == pytest.approx(1 / 3)
    div2 = _by(report, names[marked.divisions[1].id])
    assert (div2["late"], div2["represented"], div2["unmarked"], div2["rate"]) == (1, 1, 1, pytest.approx(2 / 3))
    total = report.rows[-1]
    assert total["_level"] == "total" and total["invited"] == 6 and total["rate"] == pytest.approx(0.5)
    assert len([r for r in report.rows if r["_level"] == "district"]) == 6


def test_meeting_report_spans_sessions_and_absentees_have_phones(app, marked, coordinator):
    from tests.factories import make_session

    second = make_session(marked.session.meeting, starts_at=marked.session.starts_at - timedelta(days=1))
    build_world(n_people=2, session=second, prefix="Second ")
    coming = make_session(marked.session.meeting, starts_at=marked.session.starts_at + timedelta(days=1))
    build_world(n_people=3, session=coming, prefix="Coming ")
    with app.test_request_context():
        report = reports.meeting_report(marked.session.meeting)
        assert report.rows[-1]["invited"] == 8  # the coming session's 3 invitees are not counted (issue 13)
        absent = reports.session_absentees(marked.session)
    assert sorted(r["mobile"] for r in absent.rows) == sorted(
        [marked.people[2].mobile, marked.people[5].mobile])



def test_each_report_url_serves_its_own_report(app, client, auth, marked, office):
    auth.login("officer")
    session, meeting = marked.session, marked.session.meeting
    with app.test_request_context():
        expected = {f"/attendance/reports/sessions/{session.id}": reports.session_report(session),
                    f"/attendance/reports/sessions/{session.id}/absentees": reports.session_absentees(session),
                    f"/attendance/reports/meetings/{meeting.id}": reports.meeting_report(meeting),
                    f"/attendance/reports/meetings/{meeting.id}/absentees": reports.meeting_absentees(meeting)}
    for url, report in expected.items():
        response = client.get(url + "?format=csv")
        assert response.status_code == 200, url
        assert response.headers["Content-Disposition"].endswith(f'{report.filename}.csv"'), url
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows[0] == [str(c.label) for c in report.columns] and len(rows) == len(report.rows) + 1, url
    assert client.get("/attendance/reports/sessions/999999/absentees").status_code == 404
    assert client.get("/attendance/reports/meetings/999999").status_code == 404

def test_person_report_and_rates_over_time(app, marked):
    with app.test_request_context():
        person = reports.person_report(marked.people[0])
        assert len(person.rows) == 1 and "100" in person.subtitle
        from tracker.timeutil import today_local

        rates = reports.rates_over_time("division", today_local() - timedelta(days=40), today_local())
        district_rates = reports.rates_over_time("district", today_local() - timedelta(days=40), today_local())
    assert sorted(r["invited"] for r in rates.rows) == [3, 3]
    assert sorted(round(r["rate"], 2) for r in rates.rows) == [0.33, 0.67]
    assert len(district_rates.rows) == 6 and len(rates.bars) == 2


def test_report_pages_and_exports_with_translated_headers(client, auth, marked, office):
    auth.login("officer")
    session_id, meeting_id = marked.session.id, marked.session.meeting_id
    urls = [f"/attendance/reports/sessions/{session_id}", f"/attendance/reports/sessions/{session_id}/absentees",
            f"/attendance/reports/meetings/{meeting_id}", f"/attendance/reports/meetings/{meeting_id}/absentees",
            f"/attendance/reports/people/{marked.people[0].id}", "/attendance/reports/rates",
            "/attendance/reports/rates?by=district", f"/attendance/reports/rates?by=district&in={marked.divisions[0].id}",
            "/attendance/reports/?q=President"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/attendance/reports/sessions/{session_id}").get_data(as_text=True)
    drill = client.get(f"/attendance/reports/rates?by=district&in={marked.divisions[0].id}").get_data(as_text=True)
    assert drill.count('class="level-district"') == 3  # the three districts of that division only
    assert "<svg" in page and "att-chart-bar" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    # Hindi (default) headers in the CSV
    body = client.get(f"/attendance/reports/sessions/{session_id}?format=csv").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert header[2] == "आमंत्रित"
    # English after switching the language
    client.post("/locale", data={"locale": "en"})
    xlsx = client.get(f"/attendance/reports/meetings/{meeting_id}/absentees?format=xlsx")
    assert xlsx.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert ("Name", "Mobile number") == rows[2][:2] or ("Name", "Mobile number") == rows[1][:2]
    for url in urls[:-1]:
        for fmt in ("csv", "xlsx"):
            assert client.get(f"{url}{'&' if '?' in url else '?'}format={fmt}").status_code == 200
