"""What programme reports add to the home pages: the president's "Report a programme" button with their
district's latest reports (and any question asked back), and the reports waiting for the office's review."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.core.links import PanelItem, PanelItems, register_page_panel, register_panel
from tracker.extensions import db
from tracker.i18n import _l, fmt_date, localized

PANEL_SIZE = 5
NOTE_SIZE = 20


def waiting_reports(user) -> PanelItems:
    """Reports not yet verified, oldest first (two queries: the reports, their count)."""
    from flask import url_for

    from tracker.reports import queries as q
    from tracker.reports.models import ReportStatus

    query = q.reports_query(user, q.ReportFilters(status=ReportStatus.SUBMITTED.value))
    items = db.session.scalars(query.limit(PANEL_SIZE)).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) if items else 0
    return PanelItems([PanelItem(f"{localized(r.district)} · {localized(r.kind)}",
                                 url_for("reports.report", report_id=r.id), fmt_date(r.held_on, "medium"))
                       for r in items], total)


def president_panel(person) -> dict | None:
    """On the president's own agenda (their home): the big button and their district's latest reports."""
    from flask_login import current_user

    from tracker import policy
    from tracker.reports import queries as q

    district = q.presided_district(getattr(person, "id", None))
    if district is None or current_user.person_id != person.id or not policy.can(current_user, "report.create",
                                                                                  district):
        return None
    return {"report_district": district, "recent_reports": q.recent_for_district(district.id)}


def link_questions(person) -> dict | None:
    """On the personal link's page: the reports of the person's district with a question waiting for their
    answer (one query); left out when there are none."""
    from tracker.reports import queries as q

    reports = q.questioned_for_person(person.id)
    return {"questioned_reports": reports} if reports else None


def note_reports(note) -> dict | None:
    """A district's one-to-one review shows the programmes it reported since its previous review (two queries),
    to whoever may read the reports."""
    from flask_login import current_user

    from tracker import policy
    from tracker.reports.models import ProgrammeReport
    from tracker.reviews.queries import previous_review_on

    if note.district_unit_id is None or not policy.can(current_user, "report.list"):
        return None
    since = previous_review_on(note)
    query = (sa.select(ProgrammeReport).where(ProgrammeReport.district_unit_id == note.district_unit_id,
                                              policy.visible_reports_clause(current_user))
             .order_by(ProgrammeReport.held_on.desc(), ProgrammeReport.id.desc()).limit(NOTE_SIZE))
    if since is not None:
        query = query.where(ProgrammeReport.held_on > since)
    return {"note_reports": db.session.scalars(query).all(), "note_since": since}


def register() -> None:
    register_panel("reports-waiting", _l("Programme reports to review"), "report.review", waiting_reports,
                   more_endpoint="reports.index", more_args={"status": "submitted"},
                   more_label=_l("All programme reports"), empty=_l("No report is waiting."), order=35)
    register_page_panel("meetings.agenda", "reports/_president_panel.html", president_panel, order=5)
    register_page_panel("reminders.link", "reports/_link_questions.html", link_questions, order=12)
    register_page_panel("reviews.note", "reports/_note.html", note_reports, order=20)
