"""The Logins pages: a list, a login's page, and logins made from posts (issue 12). Admins manage
every login; the office manages the others (tracker/policy.py). The rules are in
tracker/auth/operations.py; the request transaction commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tracker import policy
from tracker.auth import operations as ops
from tracker.auth import phone as phone_ops
from tracker.auth.forms import (
    FromPostsForm,
    LinkPersonForm,
    LoginContactForm,
    NewLoginForm,
    PhoneForm,
    RoleForm,
)
from tracker.auth.models import Role, User
from tracker.core.pagination import requested_page
from tracker.core.transaction import refusals_go_to, refusals_shown
from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, _l, localized

bp = Blueprint("logins", __name__, url_prefix="/logins")

FILTERS = ("q", "role", "linked", "active")


@bp.before_request
@login_required
def _managers_only():
    policy.require(current_user, "logins.manage")


def _editable(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    policy.require(current_user, "logins.edit", user, hidden=True)
    return user


@bp.route("/")
def index():
    filters = {name: request.args.get(name, "").strip() for name in FILTERS}
    page = ops.logins_list(requested_page(), **filters).linked("logins.index", **filters)
    return render_template("auth/logins/index.html", page=page, filters=filters, roles=list(Role))


def _role_choices(form) -> None:
    """Only the roles the current user may give."""
    form.role.choices = Role.choices([r for r in Role if policy.can(current_user, "logins.edit", r)])


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewLoginForm()
    _role_choices(form)
    if form.validate_on_submit():
        policy.require(current_user, "logins.edit", Role(form.role.data))
        with refusals_shown(on=form, field=form.username):
            user, password = ops.create_login(form.username.data, form.role.data, form.full_name.data or "",
                                              form.person_id.data)
            return render_template("auth/logins/password.html", user=user, password=password)
    return render_template("auth/logins/new.html", form=form)


@bp.route("/<int:user_id>")
def show(user_id: int):
    return _show_page(_editable(user_id))


def _show_page(user: User, contact_form: LoginContactForm | None = None, status: int = 200):
    role_form, link_form = RoleForm(role=user.role.value), LinkPersonForm()
    _role_choices(role_form)
    contact_form = contact_form or LoginContactForm(email=user.email or "", mobile=user.mobile or "")
    return render_template("auth/logins/show.html", user=user, role_form=role_form, link_form=link_form,
                           contact_form=contact_form), status


@bp.route("/<int:user_id>/role", methods=["POST"])
def change_role(user_id: int):
    user = _editable(user_id)
    form = RoleForm()
    _role_choices(form)
    if not form.validate_on_submit():
        abort(400)
    policy.require(current_user, "logins.edit", Role(form.role.data))
    refusals_go_to(url_for("logins.show", user_id=user.id))
    ops.change_login_role(current_user, user, form.role.data)
    flash(_("The role of %(name)s is now %(role)s.", name=user.username, role=user.role.title), "success")
    return redirect(url_for("logins.show", user_id=user.id))


@bp.route("/<int:user_id>/person", methods=["POST"])
def link(user_id: int):
    user = _editable(user_id)
    form = LinkPersonForm()
    refusals_go_to(url_for("logins.show", user_id=user.id))
    if not form.validate_on_submit():
        abort(400)
    ops.link_person(user, form.person_id.data)
    flash(_("The login %(name)s is linked to %(person)s.", name=user.username, person=user.display_name), "success")
    return redirect(url_for("logins.show", user_id=user.id))


@bp.route("/<int:user_id>/contact", methods=["POST"])
def contact(user_id: int):
    user = _editable(user_id)
    form = LoginContactForm()
    refusals_go_to(url_for("logins.show", user_id=user.id))
    if not form.validate_on_submit():
        return _show_page(user, form, 400)
    ops.set_login_contact(user, form.email.data, form.mobile.data)
    flash(_("The contact of %(name)s is saved.", name=user.username), "success")
    return redirect(url_for("logins.show", user_id=user.id))


# The confirmed actions: (title, message, button, dangerous).
CONFIRMATIONS = {
    "unlink": (_l("Unlink the person"), _l("The login %(name)s will no longer be linked to its person."),
               _l("Unlink"), True),
    "deactivate": (_l("Deactivate the login"), _l("%(name)s will no longer be able to sign in; their sessions "
                                                  "end and their API tokens are revoked for good."),
                   _l("Deactivate"), True),
    "activate": (_l("Activate the login"), _l("%(name)s will be able to sign in again."), _l("Activate"), False),
    "revoke": (_l("Revoke sessions and tokens"), _l("%(name)s is signed out on every phone and computer and their "
                                                     "API tokens stop working; the login stays active."),
               _l("Revoke"), True),
    "reset": (_l("Reset the password"), _l("A new password is made for %(name)s and shown once; their sessions "
                                           "end and their API tokens are revoked."), _l("Reset the password"), True),
}


@bp.route("/<int:user_id>/<any(unlink, deactivate, activate, reset, revoke):action>", methods=["GET", "POST"])
def confirmed(user_id: int, action: str):
    user = _editable(user_id)
    if request.method == "GET":
        title, message, button, danger = CONFIRMATIONS[action]
        return render_template("auth/logins/confirm.html", title=title, message=message % {"name": user.username},
                               button=button, danger=danger, cancel_url=url_for("logins.show", user_id=user.id))
    if action == "reset":
        return render_template("auth/logins/password.html", user=user, password=ops.reset_password(user))
    refusals_go_to(url_for("logins.show", user_id=user.id))
    if action == "unlink":
        ops.link_person(user, None)
    elif action == "revoke":
        ops.revoke_access(user)
    else:
        ops.set_login_active(current_user, user, action == "activate")
    flash(_("Done: %(action)s, %(name)s.", action=CONFIRMATIONS[action][2], name=user.username), "success")
    return redirect(url_for("logins.show", user_id=user.id))


@bp.route("/<int:user_id>/phone", methods=["GET", "POST"])
def phone(user_id: int):
    """Lost or changed phone: the new number is checked and shown with what will be revoked; a second
    step confirms."""
    user = _editable(user_id)
    form, number = PhoneForm(), None
    if form.validate_on_submit():
        with refusals_shown(on=form, field=form.mobile):
            if request.form.get("confirm") == "1":
                number = phone_ops.change_phone(user, form.mobile.data)
                flash(_("%(name)s has the new mobile number %(number)s; the sign-in codes, sessions and API "
                        "tokens of the login %(login)s are revoked.", name=user.display_name, number=number,
                        login=user.username), "success")
                return redirect(url_for("logins.show", user_id=user.id))
            number = phone_ops.new_number(user, form.mobile.data)
    return render_template("auth/logins/phone.html", user=user, form=form, number=number)


def _from_posts_form() -> FromPostsForm:
    """The form, offering the divisions (the units the office chooses from)."""
    form = FromPostsForm()
    divisions = db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DIVISION,
                                                         Unit.is_archived.is_(False)).order_by(Unit.name_en))
    form.units.choices = [SelectChoice(u.id, localized(u)) for u in divisions]
    return form


@bp.route("/from-posts", methods=["GET", "POST"])
def from_posts():
    policy.require(current_user, "logins.edit", Role.PRESIDENT)
    form = _from_posts_form()
    if not form.validate_on_submit():
        return render_template("auth/logins/from_posts.html", form=form, report=None)
    kind = ops.POST_KINDS[form.kind.data]
    policy.require(current_user, "logins.edit", kind.role)
    if request.form.get("confirm") == "1":
        report = ops.logins_from_posts(kind.code, form.units.data)
    else:
        report = ops.plan_from_posts(kind.code, form.units.data)
    return render_template("auth/logins/from_posts.html", form=form, report=report)


def init_app(app: Flask) -> None:
    from tracker.core.nav import register_nav

    app.register_blueprint(bp)
    register_nav("logins.index", _l("Logins"), "logins.manage", order=80)
