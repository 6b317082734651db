"""A lost or changed phone (issue 12): the linked person gets a new mobile number in one step, and
everything the old phone could still use is revoked: the login's sign-in codes, its sessions (also the
remembered ones on phones: the session version changes) and its API tokens. Operations flush; the caller
commits once."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.audit.operations import record
from tracker.auth import signals
from tracker.auth.models import SignInCode, User
from tracker.auth.operations import AuthError
from tracker.extensions import db
from tracker.i18n import _
from tracker.timeutil import now_utc


def new_number(user: User, number_text: str) -> str:
    """The new number in E.164, or a refusal (no person linked, not a valid number, the same number,
    another login's number)."""
    from tracker.directory.operations import check_mobile_free, normalize_mobile

    if user.person is None:
        raise AuthError(_("The login %(name)s is not linked to a person: link one first.", name=user.username))
    number = normalize_mobile(number_text)
    if number == user.person.mobile:
        raise AuthError(_("%(number)s is already the mobile number of %(name)s.", number=number,
                          name=user.display_name), field="mobile")
    check_mobile_free(user.person, number, has_login=True)
    return number


def change_phone(user: User, number_text: str) -> str:
    """Give the linked person the new number and revoke every sign-in code, session and API token of the
    login; the audit trail says so. Returns the new number."""
    from tracker.directory.operations import update_person

    number = new_number(user, number_text)
    old = user.person.mobile
    update_person(user.person, {"mobile": number})
    now = now_utc()
    db.session.execute(sa.update(SignInCode).where(SignInCode.user_id == user.id, SignInCode.ended_at.is_(None))
                       .values(ended_at=now))
    user.session_version += 1
    db.session.flush()
    signals.credentials_revoked.send(user, reason="phone")
    record(db.session, "users", user.id, "phone_changed", {
        "mobile": [old, number],
        "reason": [None, "lost or changed phone: sign-in codes, sessions and API tokens revoked"],
    })
    db.session.flush()
    return number
