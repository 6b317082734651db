"""Every enum shown to people is a TitledEnum: each member has a title, translated into Hindi.

The members' values are what the database, URLs and files keep: they are pinned here, so that
turning a dict of titles into member titles never changes a stored code (no migration needed).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

import tracker
from tracker.core.enums import TitledEnum
from tracker.i18n_check import load

ROOT = Path(__file__).resolve().parents[2]

# The stored codes of every titled enum (module.Class: values in their order).
STORED_VALUES = {
    "tracker.attendance.models.AttendanceStatus": ["present", "late", "excused", "absent", "represented"],
    "tracker.auth.models.Role": ["admin", "office", "coordinator", "incharge", "president"],
    "tracker.circulars.models.AnswerKind": ["acknowledge", "text", "number", "programme_report", "file"],
    "tracker.circulars.models.RecipientScope": ["all", "division", "districts"],
    "tracker.circulars.models.RecipientState": ["not_read", "read", "acknowledged", "answered"],
    "tracker.directory.io.ImportKind": ["units", "people", "posts"],
    "tracker.flags.models.FlagReason": ["no_report", "circulars_overdue", "actions_overdue"],
    "tracker.directory.io.RowFate": ["new", "update", "unchanged", "error"],
    "tracker.directory.models.Channel": ["email", "sms", "whatsapp", "none"],
    "tracker.directory.models.DistrictKind": ["city", "rural", "whole"],
    "tracker.directory.models.UnitLevel": ["state", "division", "district", "block"],
    "tracker.meetings.models.InvitationKind": ["invitee", "reviewer", "chair", "dais", "guest", "walk_in"],
    "tracker.meetings.models.MeetingPurpose": ["review", "training", "campaign", "other"],
    "tracker.meetings.models.MeetingStatus": ["draft", "published", "completed", "cancelled"],
    "tracker.meetings.models.ReplyAnswer": ["attending", "not_attending", "representative"],
    "tracker.meetings.models.SessionKind": ["group", "one_to_one"],
    "tracker.minutes.models.MinutesStatus": ["draft", "approved"],
    "tracker.meetings.models.SessionStatus": ["scheduled", "cancelled"],
    "tracker.reminders.models.MessageKind": ["invitation", "reminder_24h", "reminder_2h", "change", "cancellation",
                                             "digest", "action_due", "sign_in_code",  # 0012
                                             "reply_request",  # 0013_reply_requests
                                             "absence",  # 0016_absence_messages
                                             "circular", "circular_reminder",  # 0020_circulars
                                             "minutes",  # 0022_minutes
                                             "report_question"],  # 0023_flags_report_answers
    "tracker.reminders.models.MessageState": ["pending", "sending", "sent", "failed", "cancelled", "skipped"],
    "tracker.reminders.models.OutboxChannel": ["email", "sms", "whatsapp", "console"],
    "tracker.reminders.models.ProblemReason": ["no_email", "no_mobile", "no_messages", "no_person"],
    "tracker.reports.models.ReportStatus": ["submitted", "verified", "questioned"],
    "tracker.reviews.models.ChecklistKind": ["yes_no", "number", "text"],
    "tracker.reviews.models.ItemStatus": ["open", "in_progress", "done", "dropped"],
    "tracker.reviews.models.NoteStatus": ["draft", "signed_off"],
}


def _every_titled_enum() -> list[type[TitledEnum]]:
    """Import every module of the app (migrations aside), then list the TitledEnums they define."""
    for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
        if not module.name.startswith("tracker.migrations"):
            importlib.import_module(module.name)
    found, todo = [], list(TitledEnum.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("tracker.")]


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _msgid(member: TitledEnum) -> tuple[str, str | None]:
    """The title's msgid and its context (``lazy_pgettext(context, msgid)`` for a word with two senses)."""
    title = member.lazy_title
    assert isinstance(title, LazyString), f"{member!r}: the title must be a lazy gettext string (_l)"
    return (title._args[1], title._args[0]) if len(title._args) == 2 else (title._args[0], None)


def test_the_stored_values_are_unchanged():
    assert {_name(cls): [m.value for m in cls] for cls in _every_titled_enum()} == STORED_VALUES


def test_every_member_has_a_title_translated_into_hindi(app):
    catalog = load(ROOT / "translations" / "hi" / "LC_MESSAGES" / "messages.po")
    problems = []
    for cls in _every_titled_enum():
        for member in cls:
            msgid, context = _msgid(member)
            message = catalog.get(msgid, context=context)
            if not msgid.strip():
                problems.append(f"{_name(cls)}.{member.name}: empty title")
            elif message is None or not message.string or message.fuzzy:
                problems.append(f"{_name(cls)}.{member.name}: {msgid!r} has no Hindi translation")
            else:
                with app.app_context(), force_locale("hi"):
                    if member.title != message.string:
                        problems.append(f"{_name(cls)}.{member.name}: shows {member.title!r}, not {message.string!r}")
    assert problems == []


def test_a_member_without_a_title_cannot_be_declared():
    with pytest.raises(TypeError):
        class Untitled(TitledEnum):  # noqa: F841
            CODE = "code"


def test_choices_titles_and_recorded_values(app):
    from tracker.meetings.models import InvitationKind, MeetingStatus

    assert [c.value for c in MeetingStatus.choices()] == ["draft", "published", "completed", "cancelled"]
    chosen = InvitationKind.choices([InvitationKind.GUEST, InvitationKind.DAIS])
    with app.app_context(), force_locale("en"):  # labels stay lazy: read in the reader's language
        assert [(c.value, str(c.label)) for c in chosen] == [("guest", "Guest"), ("dais", "On the dais")]
    with app.app_context(), force_locale("hi"):
        assert MeetingStatus.PUBLISHED.title == "प्रकाशित" and str(chosen[0].label) == "अतिथि"
        assert MeetingStatus.title_of("published") == "प्रकाशित"
    assert MeetingStatus.title_of("archived") == "archived"  # a value no longer in the enum shows as recorded
    assert MeetingStatus("draft") is MeetingStatus.DRAFT and MeetingStatus.DRAFT == "draft"
