"""Programme reports: the rules of writing, verifying and questioning, who reads which report (and its
photos), and the list's constant query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.querycount import count_queries
from tests.uploads import samples
from tracker import policy
from tracker.extensions import db
from tracker.reports import operations as ops
from tracker.reports import queries as q
from tracker.reports.models import ProgrammeReport, ReportStatus
from tracker.timeutil import today_local
from tracker.uploads.models import StoredFile
from tracker.uploads.stores import current_store


@pytest.fixture(autouse=True)
def _english():
    from flask_babel import force_locale

    with force_locale("en"):
        yield


def _data(world, **kw) -> ops.ReportData:
    values = {"kind_id": world.kinds["worker_meeting"].id, "held_on": today_local(), "place": "Biaora mandi",
              "participants": 120, "account": "Block presidents met.", "links": "https://example.org/news/1",
              "unit_ids": [world.blocks[0].id]}
    values.update(kw)
    return ops.ReportData(**values)


def _report(world, files=(), key=None, district=None):
    data = _data(world, unit_ids=[] if district is not None else [world.blocks[0].id])
    report = ops.submit_report(world.users["president"], district or world.district, data, list(files), key)
    db.session.commit()
    return report


def test_the_standard_kinds_are_there_in_both_languages(world):
    names = {(k.name_en, k.name_hi) for k in q.kinds()}
    assert ("Worker meeting", "कार्यकर्ता बैठक") in names and ("Sangathan Srijan step", "संगठन सृजन चरण") in names
    assert len(names) == 7 and ops.add_standard_kinds() == []


def test_a_report_with_photos_is_recorded_once_whatever_the_resends(world):
    photos = [(samples.jpeg(3000, 2000), f"IMG_{n}.jpg") for n in range(3)]
    report = _report(world, photos, key="phone-key-1")
    again = _report(world, photos, key="phone-key-1")
    assert again.id == report.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeReport)) == 1
    files = ops.files_of([report])[report.id]
    assert len(files) == 3 and all(max(f.width, f.height) == 1600 for f in files)
    assert len(current_store().keys()) == 3
    assert report.units == [world.blocks[0]] and report.link_list == ["https://example.org/news/1"]


def test_one_bad_file_refuses_the_whole_report_and_stores_nothing(world):
    files = [(samples.jpeg(800, 600), "ok.jpg"), (samples.mp4(600), "rally.mp4")]
    with pytest.raises(ops.ReportError, match="rally.mp4: The video is longer than"):
        ops.submit_report(world.users["president"], world.district, _data(world), files)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    assert current_store().keys() == []


@pytest.mark.parametrize("change, message", [
    ({"held_on": date.today() + timedelta(days=3)}, "future"),
    ({"place": "  "}, "where"),
    ({"participants": -1}, "number"),
    ({"links": "javascript:alert(1)"}, "http"),
    ({"kind_id": 0}, "kind"),
])
def test_the_rules_of_a_report(world, change, message):
    with pytest.raises(ops.ReportError, match=message):
        ops.submit_report(world.users["president"], world.district, _data(world, **change), [])


def test_blocks_of_another_district_are_refused(world):
    from tests.factories import make_unit

    foreign = make_unit("block", parent=world.other_district)
    with pytest.raises(ops.ReportError, match="blocks of the district"):
        ops.submit_report(world.users["president"], world.district, _data(world, unit_ids=[foreign.id]), [])


def test_who_may_read_write_and_review(world):
    report = _report(world)
    u = world.users
    assert policy.can(u["president"], "report.view", report)
    assert not policy.can(u["other_president"], "report.view", report)
    assert policy.can(u["office"], "report.view", report) and policy.can(u["incharge"], "report.view", report)
    assert not policy.can(u["coordinator"], "report.view", report)
    assert policy.can(u["president"], "report.create", world.district)
    assert not policy.can(u["president"], "report.create", world.other_district)
    assert policy.can(u["office"], "report.create", world.other_district)
    assert not policy.can(u["president"], "report.review", report)
    assert policy.can(u["incharge"], "report.review", report)
    for key, user in u.items():
        visible = db.session.scalars(sa.select(ProgrammeReport.id).where(policy.visible_reports_clause(user))).all()
        assert (report.id in visible) == policy.can(user, "report.view", report), key


def test_verify_and_ask_a_question(world):
    report = _report(world)
    ops.ask_question(report, world.users["incharge"], "How many were women?")
    assert report.status == ReportStatus.QUESTIONED and report.question == "How many were women?"
    with pytest.raises(ops.ReportError, match="Write the question"):
        ops.ask_question(report, world.users["incharge"], " ")
    ops.verify_report(report, world.users["office"])
    assert report.status == ReportStatus.VERIFIED and report.reviewed_by_id == world.users["office"].id


def test_the_list_costs_the_same_queries_for_3_and_30_reports(world):
    def count() -> int:
        with count_queries() as counter:
            q.reports_query(world.users["office"], q.ReportFilters()).limit(25)
            db.session.scalars(q.reports_query(world.users["office"], q.ReportFilters()).limit(25)).all()
        return counter.count

    for _ in range(3):
        _report(world)
    small = count()
    for n in range(27):
        _report(world, district=world.other_district if n % 2 else world.district)
    db.session.expire_all()
    assert count() == small


def test_the_bench_pages_cost_the_same_queries_for_few_and_many_districts(app, client, auth, world):
    """bench/pages_reports.py: the list and a report issue as many queries with 30 more districts' reports."""
    from bench import pages_reports
    from tests.factories import make_unit
    from tests.querycount import count_queries

    for key in ("office", "incharge", "president"):
        world.users[key].username = f"bench_{key}"
    db.session.commit()

    def measure() -> dict[str, int]:
        with app.test_request_context():
            pages_reports.seed(0)
            db.session.commit()
            pages = pages_reports.pages()
        counts = {}
        for name, url, username in pages:
            auth.login(username)
            with count_queries() as counter:
                assert client.get(url).status_code == 200, (name, url)
            counts[name] = counter.count
            auth.logout()
        return counts

    small = measure()
    for n in range(30):
        make_unit("district", parent=world.district.parent, code=f"bench_d{n}", commit=False)
    db.session.commit()
    assert measure() == small
