"""The office's replies page of a meeting: expected counts per session and per division, who has not
answered (and "remind those who have not answered", after a confirmation page), the reply list to print
and to download (CSV, XLSX), with stays and meals for a multi-day meeting. Office and admin only."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.core import exports
from tracker.core.transaction import refusals_go_to
from tracker.extensions import db
from tracker.i18n import _, fmt_date, localized, ngettext
from tracker.meetings import replies
from tracker.meetings.forms import ConfirmForm
from tracker.meetings.models import Meeting, ReplyAnswer
from tracker.meetings.reply_list import MeetingReplies, meeting_replies


def _meeting(meeting_id: int) -> Meeting:
    policy.require(current_user, "meetings.replies")
    meeting = db.get_or_404(Meeting, meeting_id)
    if meeting.published_at is None:
        abort(404)  # a draft has no replies yet
    return meeting


@login_required
def replies_page(meeting_id: int):
    meeting = _meeting(meeting_id)
    days = [meeting.starts_on + timedelta(days=n) for n in range((meeting.ends_on - meeting.starts_on).days + 1)]
    return render_template("meetings/replies.html", meeting=meeting, data=meeting_replies(meeting),
                           formats=exports.FORMATS, answers=list(ReplyAnswer), meeting_days=days)


@login_required
def remind_unanswered(meeting_id: int):
    """GET: how many people, through which channels; POST: queue the messages."""
    meeting = _meeting(meeting_id)
    back = url_for("meetings.replies_page", meeting_id=meeting.id)
    people = meeting_replies(meeting).unanswered
    form = ConfirmForm()
    if form.validate_on_submit():
        refusals_go_to(back)
        queued = replies.remind_unanswered(meeting, people)
        if queued:
            flash(ngettext("A reminder was queued for %(num)d person who has not answered.",
                           "A reminder was queued for %(num)d people who have not answered.", queued), "success")
        else:
            flash(_("Nobody was reminded: those who have not answered were reminded a short while ago, "
                    "or cannot be reached."), "warning")
        return redirect(back)
    return render_template("meetings/reply_remind_confirm.html", meeting=meeting, people=people,
                           routes=replies.reminder_routes(meeting, people), back=back)


# --- the downloads -------------------------------------------------------------------------------


def _answer_text(answer) -> str:
    if answer is None:
        return ""
    return answer.answer.title if answer.answer is not None else _("No answer")


def table(data: MeetingReplies) -> list[list]:
    """The reply list as rows (a header row first), in the user's language."""
    header = [_("Name"), _("Mobile"), _("District"), _("Division")]
    header += [f"{fmt_date(s.starts_at, 'short')} {localized(s, 'title') or localized(data.meeting, 'title')}"
               for s in data.sessions]
    header += [_("Representative"), _("Reason"), _("After the cut-off")]
    rows = [header]
    for entry in data.invitees:
        rows.append([
            localized(entry.person), exports.phone(entry.person.mobile),
            localized(entry.district) if entry.district else "", localized(entry.division) if entry.division else "",
            *[_answer_text(entry.answers.get(s.id)) for s in data.sessions],
            "; ".join(f"{localized(p)} {exports.phone(p.mobile)}".strip() for p in entry.representatives),
            "; ".join(entry.reasons), _("yes") if entry.late else "",
        ])
    return rows


def totals(data: MeetingReplies) -> list[list]:
    """Counts per session, then (for a multi-day meeting) lunches per day and stays per night."""
    rows = [[_("Session"), *[a.title for a in ReplyAnswer], _("No answer")]]
    for s in data.sessions:
        tally = data.by_session[s.id]
        rows.append([f"{fmt_date(s.starts_at, 'short')} {localized(s, 'title') or localized(data.meeting, 'title')}",
                     *[tally[a.value] for a in ReplyAnswer], tally["none"]])
    if data.multi_day:
        rows.append([])
        rows += [[_("Lunch"), fmt_date(day, "medium"), count] for day, count in data.lunches.items()]
        rows += [[_("Stay (night of)"), fmt_date(night, "medium"), count] for night, count in data.nights.items()]
    return rows


@login_required
def export_replies(meeting_id: int, fmt: str):
    meeting = _meeting(meeting_id)
    data = meeting_replies(meeting)
    filename = f"replies-{meeting.id}-{meeting.starts_on.isoformat()}.{fmt}"
    if fmt == exports.CSV:
        return exports.download(exports.csv_bytes([*table(data), [], *totals(data)]), fmt, filename)
    book = exports.XlsxBook()
    sheet = book.sheet(_("Replies"), widths=[28, 14, 22, 16, *[22] * len(data.sessions), 28, 28, 12], freeze_rows=2)
    sheet.append([localized(meeting, "title")], bold=True, size=13)
    rows = table(data)
    sheet.append(rows[0], bold=True)
    for row in rows[1:]:
        sheet.append(row)
    counts = book.sheet(_("Counts"), widths=[36, 16, 16, 16, 16])
    for index, row in enumerate(totals(data)):
        counts.append(row, bold=index == 0)
    return exports.download(book.to_bytes(), fmt, filename)


_REGISTERED: set[str] = set()


def register(bp) -> None:
    """Add the replies pages to the meetings blueprint (once)."""
    if bp.name in _REGISTERED:
        return
    _REGISTERED.add(bp.name)
    bp.add_url_rule("/meetings/<int:meeting_id>/replies", view_func=replies_page)
    bp.add_url_rule("/meetings/<int:meeting_id>/replies.<any(csv, xlsx):fmt>", view_func=export_replies)
    bp.add_url_rule("/meetings/<int:meeting_id>/replies/remind", view_func=remind_unanswered,
                    methods=["GET", "POST"])
