"""Business rules of programme reports. Every function flushes and never commits."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from tracker.core.errors import DomainError
from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _
from tracker.reminders import operations as outbox
from tracker.reminders.models import MessageKind
from tracker.reports import messages, queries
from tracker.reports.models import OWNER_KIND, ProgrammeReport, ReportKind, ReportStatus
from tracker.timeutil import now_utc, today_local
from tracker.uploads import operations as uploads

log = logging.getLogger(__name__)

MAX_ACCOUNT = 5_000
MAX_QUESTION = 2_000
MAX_ANSWER = 2_000
MAX_LINKS = 10
MAX_FILES = 10
MAX_PARTICIPANTS = 10_000_000
URL = re.compile(r"^https?://[^\s<>\"']{3,500}$")


class ReportError(DomainError):
    """A rule refused the report; the message is translated and shown to the user."""


# --- the kinds the office keeps ----------------------------------------------------------------

STANDARD_KINDS = (
    ("worker_meeting", "कार्यकर्ता बैठक", "Worker meeting"),
    ("protest", "धरना-प्रदर्शन", "Protest"),
    ("rally", "रैली", "Rally"),
    ("training", "प्रशिक्षण", "Training"),
    ("membership_drive", "सदस्यता अभियान", "Membership drive"),
    ("public_contact", "जनसंपर्क", "Public contact"),
    ("sangathan_srijan_step", "संगठन सृजन चरण", "Sangathan Srijan step"),
)


def add_standard_kinds() -> list[ReportKind]:
    """The standard kinds (those not there yet); the migration seeds the same list."""
    have = set(db.session.scalars(sa.select(ReportKind.code)))
    added = []
    for position, (code, name_hi, name_en) in enumerate(STANDARD_KINDS, start=1):
        if code not in have:
            added.append(save_kind(None, name_hi, name_en, code=code, position=position))
    return added


def save_kind(kind: ReportKind | None, name_hi: str, name_en: str, is_archived: bool = False, *,
              code: str | None = None, position: int | None = None) -> ReportKind:
    if kind is None:
        if position is None:
            position = (db.session.scalar(sa.select(sa.func.max(ReportKind.position))) or 0) + 1
        code = code or f"kind_{position}_{re.sub(r'[^a-z0-9]+', '_', name_en.lower()).strip('_')[:24]}"
        kind = ReportKind(code=code, position=position)
        db.session.add(kind)
    kind.name_hi = name_hi.strip()
    kind.name_en = name_en.strip()
    kind.is_archived = bool(is_archived)
    db.session.flush()
    return kind


# --- writing a report --------------------------------------------------------------------------


@dataclass
class ReportData:
    kind_id: int
    held_on: date
    place: str
    participants: int
    account: str = ""
    links: str = ""
    unit_ids: list[int] = field(default_factory=list)


def _clean_links(text: str) -> str:
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        raise ReportError(_("At most %(n)d links.", n=MAX_LINKS), field="links")
    for link in links:
        if not URL.match(link):
            raise ReportError(_("Each link must start with http:// or https://, one a line."), field="links")
    return "\n".join(links)


def _checked(district: Unit, data: ReportData) -> tuple[ReportKind, list[Unit]]:
    if district is None or district.level != UnitLevel.DISTRICT:
        raise ReportError(_("Choose a district."), field="district_id")
    kind = db.session.get(ReportKind, data.kind_id) if data.kind_id else None
    if kind is None or kind.is_archived:
        raise ReportError(_("Choose a kind of programme."), field="kind_id")
    if data.held_on > today_local():
        raise ReportError(_("The date of the programme cannot be in the future."), field="held_on")
    if not (data.place or "").strip():
        raise ReportError(_("Say where the programme was held."), field="place")
    if data.participants is None or not 0 <= data.participants <= MAX_PARTICIPANTS:
        raise ReportError(_("Enter the number who took part."), field="participants")
    if len(data.account or "") > MAX_ACCOUNT:
        raise ReportError(_("The account is longer than %(n)d characters.", n=MAX_ACCOUNT), field="account")
    units = []
    if data.unit_ids:
        units = list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(set(data.unit_ids)))))
        if len(units) != len(set(data.unit_ids)) or any(u.parent_id != district.id for u in units):
            raise ReportError(_("Choose only blocks of the district."), field="unit_ids")
    return kind, units


def existing_report(client_key: str | None) -> ProgrammeReport | None:
    if not client_key:
        return None
    return db.session.scalar(sa.select(ProgrammeReport).where(ProgrammeReport.client_key == client_key))


def submit_report(user, district: Unit, data: ReportData, files: list[tuple[bytes, str]],
                  client_key: str | None = None, uploaded: list[str] | None = None) -> ProgrammeReport:
    """A new report with its photos and videos. Sent again with the same ``client_key`` (a phone's queue
    that did not hear the answer), it is the report already recorded: nothing is added. ``uploaded``: the keys
    of files the writer already sent in pieces (tracker/uploads' resumable uploads), checked and stored then."""
    client_key = (client_key or "").strip()[:64] or None
    earlier = existing_report(client_key)
    if earlier is not None:
        return earlier
    kind, units = _checked(district, data)
    try:
        sent_before = uploads.finished_files(user, uploaded or [])
    except uploads.UploadRefused as refused:
        raise ReportError(refused.message, field="files") from None
    if len(files) + len(sent_before) > MAX_FILES:
        raise ReportError(_("At most %(n)d photos and videos.", n=MAX_FILES), field="files")
    report = ProgrammeReport(
        district_unit_id=district.id, kind=kind, held_on=data.held_on, place=data.place.strip()[:200],
        participants=data.participants, account=(data.account or "").strip(), links=_clean_links(data.links),
        written_by_id=getattr(user, "id", None), client_key=client_key, status=ReportStatus.SUBMITTED,
    )
    report.units = units
    db.session.add(report)
    db.session.flush()
    try:
        stored = uploads.store_uploads(files, user)
    except uploads.UploadRefused as refused:
        raise ReportError(refused.message, field="files") from None
    uploads.attach([*sent_before, *stored], OWNER_KIND, report.id)
    log.info("programme report %s of district %s written by %s", report.id, district.code,
             getattr(user, "username", None))
    return report


def files_of(reports: list[ProgrammeReport]) -> dict[int, list]:
    return uploads.files_of(OWNER_KIND, [r.id for r in reports])


# --- review by the office and the in-charges ---------------------------------------------------


def verify_report(report: ProgrammeReport, user) -> None:
    report.status = ReportStatus.VERIFIED
    report.reviewed_by_id = user.id
    report.reviewed_at = now_utc()
    db.session.flush()
    log.info("programme report %s verified by %s", report.id, user.username)


def ask_question(report: ProgrammeReport, user, question: str, now: datetime | None = None) -> None:
    """A question back to the district president: shown on the report and on the president's home, and sent
    to the district's president of the day by SMS/WhatsApp (the reminders' outbox) with their personal link,
    from which they answer. A new question replaces an earlier question and its answer."""
    question = (question or "").strip()
    if not question:
        raise ReportError(_("Write the question."), field="question")
    if len(question) > MAX_QUESTION:
        raise ReportError(_("The question is longer than %(n)d characters.", n=MAX_QUESTION), field="question")
    now = now or now_utc()
    report.status = ReportStatus.QUESTIONED
    report.question = question
    report.answer, report.answered_at, report.answered_by_person_id = "", None, None
    report.reviewed_by_id = user.id
    report.reviewed_at = now
    db.session.flush()
    president = queries.president_of(report.district_unit_id, today_local())
    if president is not None:
        _queue_question(report, president, now)
    log.info("programme report %s questioned by %s", report.id, user.username)


def _queue_question(report: ProgrammeReport, person, now: datetime):
    kind = MessageKind.REPORT_QUESTION
    return outbox.enqueue(
        key=outbox.message_key(kind, f"rep{report.id}", f"p{person.id}", outbox.stamp(now)), kind=kind,
        person=person, now=now, render=lambda: messages.question(person, report),
    )


def answer_question(report: ProgrammeReport, person_id: int | None, answer: str, now: datetime | None = None) -> None:
    """The district president answers the question asked back (or corrects the answer, until the report is
    verified): the answer is kept and shown to the office, and the report goes back to "submitted" (waiting for
    review again)."""
    if not report.question or report.status == ReportStatus.VERIFIED:
        raise ReportError(_("No question waits for an answer on this report."))
    answer = (answer or "").strip()
    if not answer:
        raise ReportError(_("Write your answer."), field="answer")
    if len(answer) > MAX_ANSWER:
        raise ReportError(_("The answer is longer than %(n)d characters.", n=MAX_ANSWER), field="answer")
    report.answer = answer
    report.answered_at = now or now_utc()
    report.answered_by_person_id = person_id
    report.status = ReportStatus.SUBMITTED
    db.session.flush()
    log.info("programme report %s: question answered by person %s", report.id, person_id)
