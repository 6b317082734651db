"""Short pass codes: six characters a person can read out and type, printed beside the QR code.

The long token in the QR code (``<id>.<mac>``) cannot be typed on a phone; the short code can. It is drawn
from an alphabet without look-alike characters (no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V) and
is unique within its meeting (``UNIQUE (meeting_id, code)``): the check-in desk knows the meeting,
so 19⁶ ≈ 47 million codes leave a collision practically impossible, and the rare one is retried.

Codes are made when an invitation gets its pass (the meetings signals, see :func:`connect`).
Showing a pass only reads them (:func:`shown`): a GET writes nothing. A pass without a code, which
should not happen, is shown with its long token, and a warning is logged.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from flask import g, has_app_context

from tracker.attendance.models import PassCode
from tracker.extensions import db
from tracker.meetings.models import Invitation, MeetingSession

ALPHABET = "ACEFHJKMNPRTWXY3479"
LOOK_ALIKES = "0OQD1IL2Z5S6G8BUV"
log = logging.getLogger(__name__)

LENGTH = 6
MAX_TRIES = 5


class PassCodeError(RuntimeError):
    """No free code was found after :data:`MAX_TRIES` attempts (never expected in practice)."""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str | None) -> str:
    """What a person typed, as a code: upper case, spaces and dashes dropped ("ace 34-7" → "ACE347")."""
    return "".join(ch for ch in (text or "").upper() if not ch.isspace() and ch != "-")


def is_code(text: str) -> bool:
    """True when ``text`` (normalized) has the form of a short code, not of a long token or a URL."""
    return len(text) == LENGTH and all(ch in ALPHABET for ch in text)


def display(code: str | None) -> str:
    """The code as printed: two groups of three ("ACE 347"), easier to read out and to type."""
    return f"{code[:3]} {code[3:]}" if code else ""


def _fresh(used: set[str]) -> str:
    for _ in range(1000):
        code = new_code()
        if code not in used:
            return code
    raise PassCodeError("no free pass code")


def _used_codes(meeting_ids: Iterable[int]) -> dict[int, set[str]]:
    used: dict[int, set[str]] = defaultdict(set)
    for meeting_id, code in db.session.execute(
            sa.select(PassCode.meeting_id, PassCode.code).where(PassCode.meeting_id.in_(list(meeting_ids)))):
        used[meeting_id].add(code)
    return used


def _missing(invitation_ids: list[int]) -> list[tuple[int, int]]:
    """(invitation id, meeting id) of the invitations among these that hold a pass but no code."""
    return db.session.execute(
        sa.select(Invitation.id, MeetingSession.meeting_id)
        .join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .outerjoin(PassCode, PassCode.invitation_id == Invitation.id)
        .where(Invitation.id.in_(invitation_ids), Invitation.pass_issued_at.is_not(None), PassCode.code.is_(None))
        .order_by(Invitation.id)
    ).all()


def assign(invitation_ids: Iterable[int]) -> dict[int, str]:
    """Give a code to each of these invitations that holds a pass and has none yet (flush only).

    Codes already used in the meeting are avoided; should another transaction take the same code
    at the same moment, the insert (in a savepoint) fails on the unique constraint and is retried.
    Returns the codes made, by invitation id.
    """
    ids = list(dict.fromkeys(invitation_ids))
    if not ids:
        return {}
    for _attempt in range(MAX_TRIES):
        missing = _missing(ids)
        if not missing:
            return {}
        used = _used_codes({meeting_id for _, meeting_id in missing})
        rows = []
        for invitation_id, meeting_id in missing:
            code = _fresh(used[meeting_id])
            used[meeting_id].add(code)
            rows.append({"invitation_id": invitation_id, "meeting_id": meeting_id, "code": code})
        try:
            with db.session.begin_nested():
                db.session.execute(sa.insert(PassCode), rows)
        except sa.exc.IntegrityError:
            continue  # a concurrent transaction took a code (or coded an invitation): look again
        _forget_cache()
        return {row["invitation_id"]: row["code"] for row in rows}
    raise PassCodeError("could not assign pass codes")


def codes_for(invitation_ids: Iterable[int]) -> dict[int, str]:
    """The codes of these invitations (one query), by invitation id."""
    ids = list(dict.fromkeys(invitation_ids))
    if not ids:
        return {}
    return dict(db.session.execute(
        sa.select(PassCode.invitation_id, PassCode.code).where(PassCode.invitation_id.in_(ids))).all())


def shown(invitations: Iterable[Invitation]) -> dict[int, str]:
    """The codes of these invitations' valid passes, for showing them (one query, read only).

    Every pass gets its code when it is made; one that has none is logged, not mended here.
    """
    ids = [inv.id for inv in invitations if inv.pass_issued_at and inv.pass_revoked_at is None]
    codes = codes_for(ids)
    lacking = [i for i in ids if i not in codes]
    if lacking:
        log.warning("passes without a short code (shown with the long token only): invitations %s", lacking)
    return codes


def invitation_id_for(meeting_id: int, code: str) -> sa.ScalarSelect:
    """The invitation holding ``code`` in the meeting, as a scalar subquery (for a check-in query)."""
    return (sa.select(PassCode.invitation_id)
            .where(PassCode.meeting_id == meeting_id, PassCode.code == normalize(code))
            .scalar_subquery())


def _forget_cache() -> None:
    if has_app_context():
        g.pop("_attendance_person_codes", None)


def code_of(invitation) -> str:
    """For templates that show one person's passes (e.g. the agenda): the invitation's code, or "".

    The codes of all of the person's invitations are read in one query on first use and kept for
    the request, so a page with many passes makes one query, not one per pass.
    """
    if invitation.pass_issued_at is None or invitation.pass_revoked_at is not None:
        return ""
    cache = g.setdefault("_attendance_person_codes", {})
    if invitation.person_id not in cache:
        cache[invitation.person_id] = dict(db.session.execute(
            sa.select(PassCode.invitation_id, PassCode.code).join(Invitation, Invitation.id == PassCode.invitation_id)
            .where(Invitation.person_id == invitation.person_id)).all())
    return cache[invitation.person_id].get(invitation.id, "")


# --- made when the invitation gets its pass (the meetings domain's signals) ---------------------


def _on_meeting_published(meeting, **_kwargs) -> None:
    ids = db.session.scalars(
        sa.select(Invitation.id).join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .where(MeetingSession.meeting_id == meeting.id, Invitation.pass_issued_at.is_not(None))).all()
    assign(ids)


def _on_invitation_added(invitation, **_kwargs) -> None:
    if invitation.pass_issued_at is not None:
        db.session.flush()
        assign([invitation.id])


def connect() -> None:
    from tracker.meetings import signals

    signals.meeting_published.connect(_on_meeting_published, weak=False)
    signals.invitation_added.connect(_on_invitation_added, weak=False)
