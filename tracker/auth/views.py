from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from tracker import policy
from tracker.auth import operations as ops
from tracker.auth.forms import ChangePasswordForm, LoginForm
from tracker.core.transaction import always_commit, refusals_shown
from tracker.core.views import safe_next
from tracker.extensions import login_manager
from tracker.i18n import SESSION_KEY, _, _l, fmt_time

bp = Blueprint("auth", __name__)

@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = ops.authenticate(form.username.data, form.password.data)
        always_commit()  # a wrong password is counted (and may lock the login) though the answer is 401
        if result.user is not None:
            locale = session.get(SESSION_KEY)
            session.clear()  # a fresh session on login
            if locale:
                session[SESSION_KEY] = locale
            login_user(result.user)
            return redirect(safe_next(request.args.get("next"), url_for("core.index")))
        if result.locked_until is not None:
            from tracker.timeutil import to_local

            flash(
                _(
                    "Too many wrong attempts. This login is locked until %(time)s. Please try again then, or ask the office to reset your password.",
                    time=fmt_time(to_local(result.locked_until)),
                ),
                "error",
            )
            status = 429
        else:
            flash(_("The username or password is not right."), "error")
            status = 401
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    ops.end_sessions(current_user)
    logout_user()
    locale = session.get(SESSION_KEY)
    session.clear()
    if locale:
        session[SESSION_KEY] = locale
    flash(_("You have logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    policy.require(current_user, "account.settings")
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with refusals_shown(on=form, field=form.current_password):
            ops.change_password(current_user, form.current_password.data, form.new_password.data)
            login_user(current_user._get_current_object())  # keep this session; the others ended with the version bump
            flash(_("Your password has been changed. You were logged out everywhere else, and your API tokens "
                    "were revoked."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form)


def _person_login(person) -> dict | None:
    """The directory's person page names the person's login, for those who manage logins (one query)."""
    login = ops.login_of(person.id)
    return {"login": login} if login is not None else None


def _keep_locale(user, locale: str, **_kwargs) -> None:
    ops.set_user_locale(user, locale)


def init_app(app: Flask) -> None:
    from tracker.core.links import register_page_panel
    from tracker.core.signals import locale_chosen

    app.register_blueprint(bp)
    locale_chosen.connect(_keep_locale, weak=False)
    register_page_panel("directory.person.facts", "auth/_person_login.html", _person_login, action="users.manage")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(ops.load_user)

    from tracker.auth.cli import users_cli

    app.cli.add_command(users_cli)
