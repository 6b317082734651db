"""The personal link (``/p/<token>``): the person's own agenda, passes, replies and action items,
without a password; and its revocation (by the person on that page, by the office on the person's page).

Opening the link changes nothing (link-preview fetchers of SMS and WhatsApp apps open it by themselves).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.i18n import _, ngettext
from tracker.meetings import queries as meeting_queries
from tracker.reminders import personal_links
from tracker.reminders.forms import RevokeLinkForm
from tracker.reviews.models import ActionItem, ItemStatus
from tracker.timeutil import now_utc

bp = Blueprint("reminders_link", __name__)


def _link_or_refuse(token: str):
    link = personal_links.find(token)
    if link is None:
        abort(404)
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


def _person_links(person) -> dict:
    return {"link_count": personal_links.valid_count(person.id, now_utc()), "revoke_form": RevokeLinkForm(),
            "link_label": _("Personal links")}


def init_app(app: Flask) -> None:
    from tracker.core.links import register_page_panel

    app.register_blueprint(bp)
    register_page_panel("directory.person.facts", "reminders/link/_person_links.html", _person_links,
                        action="personal_link.revoke")
