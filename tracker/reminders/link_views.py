"""The personal link (``/p/<token>``): the person's own agenda, passes, replies and action items,
without a password; and its revocation (by the person on that page, by the office on the person's page).

Opening the link changes nothing (link-preview fetchers of SMS and WhatsApp apps open it by themselves).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import refresh
from flask_login import current_user, login_required

from tracker import policy
from tracker.audit import operations as audit
from tracker.core.form_views import form_page
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.i18n import SESSION_KEY, _, ngettext
from tracker.meetings import queries as meeting_queries
from tracker.meetings import replies
from tracker.meetings.forms import ReplyForm
from tracker.meetings.models import Invitation
from tracker.meetings.reply_views import prefilled
from tracker.reminders import messages, personal_links
from tracker.reminders.forms import RevokeLinkForm
from tracker.reviews.models import ActionItem, ItemStatus
from tracker.timeutil import now_utc

bp = Blueprint("reminders_link", __name__)


def _speak_to(person) -> None:
    """A personal page speaks the person's saved language, like their messages, whatever the browser's
    (or a signed-in sender's); a visitor who chose a language with the switch keeps that choice."""
    chosen = None if current_user.is_authenticated else session.get(SESSION_KEY)
    g.force_locale = chosen if chosen in current_app.config["LANGUAGES"] else messages.person_locale(person)
    refresh()


def _link_or_refuse(token: str):
    link = personal_links.find(token)
    if link is None:
        abort(404)
    _speak_to(link.person)
    if not personal_links.is_valid(link, now_utc()):
        return None, (render_template("reminders/link/refused.html"), 410)
    return link, None


def _open_items(person_id: int) -> list[ActionItem]:
    return list(db.session.scalars(
        sa.select(ActionItem)
        .where(ActionItem.owner_person_id == person_id,
               ActionItem.status.in_([ItemStatus.OPEN, ItemStatus.IN_PROGRESS]))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        .limit(50)
    ))


@bp.route("/p/<token>")
def page(token: str):
    link, refused = _link_or_refuse(token)
    if refused:
        return refused
    person = link.person
    entries = [e for e in meeting_queries.agenda_for(person)
               if policy.link_grants(person.id, "invitation.view", e.invitation)]
    return render_template("reminders/link/page.html", person=person, entries=entries,
                           items=_open_items(person.id), token=token, revoke_form=RevokeLinkForm())


@bp.route("/p/<token>/invitations/<int:invitation_id>/reply", methods=["GET", "POST"])
def reply(token: str, invitation_id: int):
    """The person's reply from the link (the link grants ``invitation.reply`` on their own invitations)."""
    link, refused = _link_or_refuse(token)
    if refused:
        return refused
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not policy.link_grants(link.person_id, "invitation.reply", invitation):
        abort(404)
    form = prefilled(ReplyForm(), invitation)

    def save():
        with audit.acting_as(label="personal link"):
            reply = replies.record_reply(invitation, form.answer.data, **form.data_for_operation())
        if reply.after_cutoff:
            flash(_("This reply came after the cut-off; the office sees it flagged."), "warning")
        return reply

    return form_page(form, "reminders/link/reply.html", save, target=url_for("reminders_link.page", token=token),
                     message=_("Thank you: your reply was saved."), invitation=invitation,
                     session=invitation.session, token=token)


@bp.route("/p/<token>/revoke", methods=["POST"])
def revoke(token: str):
    link, refused = _link_or_refuse(token)
    if refused:
        return refused
    if not RevokeLinkForm().validate_on_submit():
        abort(400)
    personal_links.revoke(link, now_utc(), "person")
    return render_template("reminders/link/refused.html", revoked_now=True)


@bp.route("/directory/people/<int:person_id>/personal-links/revoke", methods=["POST"])
@login_required
def office_revoke(person_id: int):
    policy.require(current_user, "personal_link.revoke")
    person = db.session.get(Person, person_id) or abort(404)
    if not RevokeLinkForm().validate_on_submit():
        abort(400)
    count = personal_links.revoke_all(person.id, now_utc(), "office")
    flash(ngettext("%(num)d personal link revoked.", "%(num)d personal links revoked.", count), "success")
    return redirect(url_for("directory.person", person_id=person.id))


@bp.route("/settings/personal-links/revoke", methods=["POST"])
@login_required
def own_revoke():
    policy.require(current_user, "personal_link.revoke_own")
    if not RevokeLinkForm().validate_on_submit():
        abort(400)
    count = personal_links.revoke_all(current_user.person_id, now_utc(), "person")
    flash(ngettext("%(num)d personal link revoked.", "%(num)d personal links revoked.", count), "success")
    return redirect(url_for("auth.settings"))


def _own_links(user) -> dict:
    return {"link_count": personal_links.valid_count(user.person_id, now_utc()), "revoke_form": RevokeLinkForm()}


def _person_links(person) -> dict:
    return {"link_count": personal_links.valid_count(person.id, now_utc()), "revoke_form": RevokeLinkForm()}


def init_app(app: Flask) -> None:
    from tracker.core.links import register_page_panel

    app.register_blueprint(bp)
    register_page_panel("directory.person.facts", "reminders/link/_person_links.html", _person_links,
                        action="personal_link.revoke")
    register_page_panel("auth.settings", "reminders/link/_settings.html", _own_links,
                        action="personal_link.revoke_own", order=40)
