"""Replies before a session (RSVP): the invitee's answer from their agenda, or one the office records
from a phone call. Thin: form → :func:`tracker.meetings.replies.record_reply` → redirect."""

from __future__ import annotations

from flask import flash, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.core.form_views import form_page
from tracker.extensions import db
from tracker.i18n import _
from tracker.meetings import replies
from tracker.meetings.forms import ReplyForm
from tracker.meetings.models import Invitation


def _target(invitation: Invitation) -> str:
    if current_user.person_id == invitation.person_id:
        return url_for("meetings.agenda_session", session_id=invitation.session_id)
    return url_for("meetings.session_page", session_id=invitation.session_id, _anchor="replies")


def _saved(invitation: Invitation):
    def save():
        form = ReplyForm()
        reply = replies.record_reply(invitation, form.answer.data, user=current_user, **form.data_for_operation())
        if reply.after_cutoff:
            flash(_("This reply came after the cut-off; the office sees it flagged."), "warning")
        return reply

    return save


def prefilled(form: ReplyForm, invitation: Invitation) -> ReplyForm:
    """The form showing the reply given so far (on a GET)."""
    existing = invitation.reply
    if not form.is_submitted() and existing is not None:
        form.answer.data, form.reason.data = existing.answer.value, existing.reason
        if existing.representative_invitation is not None:
            rep = existing.representative_invitation.person
            form.representative_name.data, form.representative_mobile.data = rep.name_hi or rep.name_en, rep.mobile
    return form


@login_required
def reply(invitation_id: int):
    invitation = db.get_or_404(Invitation, invitation_id)
    policy.require(current_user, "invitation.reply", invitation, hidden=True)
    form = prefilled(ReplyForm(), invitation)
    return form_page(form, "meetings/reply.html", _saved(invitation), target=_target(invitation),
                     message=_("Thank you: your reply was saved."), invitation=invitation,
                     session=invitation.session, own=current_user.person_id == invitation.person_id)



_REGISTERED: set[str] = set()


def register(bp) -> None:
    """Add the reply page to the meetings blueprint (once, before its first registration on an app)."""
    if bp.name in _REGISTERED:
        return
    _REGISTERED.add(bp.name)
    bp.add_url_rule("/agenda/invitations/<int:invitation_id>/reply", view_func=reply, methods=["GET", "POST"])
