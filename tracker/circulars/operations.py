"""Sending a circular, the president's read / acknowledge / answer, and "remind those who have not".
Every function flushes and never commits; the messages are queued in the caller's transaction (the
request's one commit sends the circular and its messages together, or neither).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from tracker import policy
from tracker.circulars import messages, queries
from tracker.circulars.models import (
    ANSWER_OWNER_KIND,
    AnswerKind,
    Circular,
    CircularRecipient,
    RecipientScope,
)
from tracker.core.errors import DomainError
from tracker.extensions import db
from tracker.i18n import _
from tracker.reminders import operations as outbox
from tracker.reminders.models import MessageKind
from tracker.reports.models import ProgrammeReport
from tracker.uploads import operations as uploads

log = logging.getLogger(__name__)

MAX_NUMBER = 10**12


class CircularError(DomainError):
    pass


@dataclass(frozen=True)
class Draft:
    """What the compose form gives."""

    title: str
    body: str
    answer_kind: AnswerKind
    due_on: date
    scope: RecipientScope
    division_id: int | None = None
    district_ids: tuple[int, ...] = ()


def recipients_of(user, draft: Draft) -> list:
    """The districts a draft reaches, within what the user may send to (refused when none, or when a
    district chosen is outside the user's area)."""
    area = policy.circular_reach_select(user)
    if draft.scope == RecipientScope.DIVISION:
        if draft.division_id is None:
            raise CircularError(_("Choose a division."), field="division")
        chosen = queries.districts(division_id=draft.division_id)
    elif draft.scope == RecipientScope.DISTRICTS:
        if not draft.district_ids:
            raise CircularError(_("Choose at least one district."), field="districts")
        chosen = queries.districts(draft.district_ids)
    else:
        chosen = queries.districts(within=area)
    if not chosen:
        raise CircularError(_("No district would receive this circular."))
    if not policy.can(user, "circular.send", [unit.id for unit in chosen]):
        raise CircularError(_("You may send circulars only to the districts in your charge."))
    return chosen


def send_circular(user, draft: Draft, now: datetime, today: date) -> Circular:
    """Make the circular, one recipient row per district (with its president of the day), and queue each
    president's message carrying their personal link."""
    if draft.due_on < today:
        raise CircularError(_("The due date cannot be in the past."), field="due_on")
    districts = recipients_of(user, draft)
    circular = Circular(title=draft.title.strip(), body=draft.body.strip(), answer_kind=draft.answer_kind,
                        due_on=draft.due_on, scope=draft.scope,
                        scope_unit_id=draft.division_id if draft.scope == RecipientScope.DIVISION else None,
                        sender_user_id=user.id, sender_person_id=user.person_id, sent_at=now)
    db.session.add(circular)
    presidents = queries.presidents_of([unit.id for unit in districts], today)
    for unit in districts:
        president = presidents.get(unit.id)
        circular.recipients.append(CircularRecipient(
            district_unit_id=unit.id, president_person_id=president.id if president else None))
    db.session.flush()
    for recipient in circular.recipients:
        president = presidents.get(recipient.district_unit_id)
        if president is not None:
            _queue(circular, recipient, president, now, reminder=False)
    log.info("circular %s sent by user %s to %s districts", circular.id, user.id, len(districts))
    return circular


def _queue(circular: Circular, recipient: CircularRecipient, person, now: datetime, *, reminder: bool):
    kind = MessageKind.CIRCULAR_REMINDER if reminder else MessageKind.CIRCULAR
    parts = [f"c{circular.id}", f"r{recipient.id}", f"p{person.id}"] + ([outbox.stamp(now)] if reminder else [])
    return outbox.enqueue(
        key=outbox.message_key(kind, *parts), kind=kind, person=person, now=now,
        render=lambda: messages.circular(person, circular, reminder=reminder),
    )


def remind_pending(circular: Circular, now: datetime, today: date) -> int:
    """Remind the districts that have neither acknowledged nor answered the circular (those that acknowledged
    a circular that wants an answer are not reminded by this): a message to each district's president of the
    day, recorded on the row. A district whose president's post is vacant gets none. Returns how many districts
    were reminded."""
    pending = queries.silent_recipients(circular)
    presidents = queries.presidents_of([row.district_unit_id for row in pending], today)
    reminded = 0
    for row in pending:
        president = presidents.get(row.district_unit_id)
        if president is None:
            continue
        _queue(circular, row, president, now, reminder=True)
        row.reminded_at = now
        row.remind_count += 1
        reminded += 1
    db.session.flush()
    return reminded


def mark_read(recipient: CircularRecipient, now: datetime) -> bool:
    """The president opened the circular (the first time counts). True if this changed the row."""
    if recipient.read_at is not None:
        return False
    recipient.read_at = now
    db.session.flush()
    return True


def acknowledge(recipient: CircularRecipient, now: datetime, person_id: int | None, note: str = "") -> None:
    """The president acknowledges the circular (read it and will act); for a circular that asks no more, this
    completes it. A circular that expects a programme report or a file may be acknowledged with a note (what
    will come, when); it is done when the report or the file is sent (:func:`answer_with_report`,
    :func:`answer_with_file`)."""
    kind = recipient.circular.answer_kind
    if recipient.read_at is None:
        recipient.read_at = now
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at = now
    if kind.takes_note and note.strip() and recipient.answered_at is None:
        recipient.answer_text = note.strip()
    if not kind.needs_answer and recipient.completed_at is None:
        recipient.completed_at = now
    db.session.flush()


def answer(recipient: CircularRecipient, now: datetime, person_id: int | None, *, text: str | None = None,
           number: int | None = None) -> None:
    """The president answers (a text or a number, as the circular expects); answering acknowledges too.
    A later answer replaces the earlier one (the time of the first completion stays)."""
    kind = recipient.circular.answer_kind
    if kind == AnswerKind.NUMBER:
        if number is None:
            raise CircularError(_("Enter a number."), field="number")
        if not -MAX_NUMBER < number < MAX_NUMBER:
            raise CircularError(_("This number is too large."), field="number")
        recipient.answer_number = number
    elif kind == AnswerKind.TEXT:
        if not (text or "").strip():
            raise CircularError(_("Write your answer."), field="text")
        recipient.answer_text = text.strip()
    else:
        raise CircularError(_("This circular asks for an acknowledgement only."))
    recipient.read_at = recipient.read_at or now
    recipient.acknowledged_at = recipient.acknowledged_at or now
    recipient.answered_at = now
    recipient.answered_by_person_id = person_id
    recipient.completed_at = recipient.completed_at or now
    db.session.flush()


def _answered(recipient: CircularRecipient, now: datetime, person_id: int | None) -> None:
    recipient.read_at = recipient.read_at or now
    recipient.acknowledged_at = recipient.acknowledged_at or now
    recipient.answered_at = now
    recipient.answered_by_person_id = person_id
    recipient.completed_at = recipient.completed_at or now
    db.session.flush()


def answer_with_report(recipient: CircularRecipient, now: datetime, person_id: int | None, report_id: int | None) -> None:
    """Answer a circular that expects a programme report with a report of the recipient's district (one written
    for it, or an earlier one). A later answer replaces the earlier one."""
    if recipient.circular.answer_kind != AnswerKind.PROGRAMME_REPORT:
        raise CircularError(_("This circular does not ask for a programme report."))
    report = db.session.get(ProgrammeReport, report_id) if report_id else None
    if report is None or report.district_unit_id != recipient.district_unit_id:
        raise CircularError(_("Choose a programme report of your district."), field="report_id")
    recipient.answer_report_id = report.id
    recipient.answer_number = None
    recipient.answer_text = report.place  # the table links the report; its date is on the report
    _answered(recipient, now, person_id)


def answer_with_file(recipient: CircularRecipient, now: datetime, person_id: int | None, data: bytes,
                     filename: str, user=None) -> None:
    """Answer a circular that expects a file: a photo or a short video, checked and kept like every upload
    (tracker/uploads), given to the recipient's row (``circular_answer``: seen by the circular's senders and the
    district's president). A later file replaces the earlier one as the answer (both are kept)."""
    if recipient.circular.answer_kind != AnswerKind.FILE:
        raise CircularError(_("This circular does not ask for a file."))
    if not data:
        raise CircularError(_("Choose the file to send."), field="file")
    try:
        stored = uploads.store_upload(data, filename, user)
    except uploads.UploadRefused as refused:
        raise CircularError(refused.message, field="file") from None
    uploads.attach([stored], ANSWER_OWNER_KIND, recipient.id)
    recipient.answer_number = None
    recipient.answer_text = stored.original_name or stored.key
    _answered(recipient, now, person_id)
