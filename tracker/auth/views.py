from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from tracker import policy
from tracker.auth import codes
from tracker.auth import operations as ops
from tracker.auth.forms import ChangePasswordForm, CodeForm, LoginForm, MobileForm
from tracker.auth.throttle import KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_DAYS
from tracker.core.transaction import after_commit, always_commit, refusals_shown
from tracker.core.views import safe_next
from tracker.extensions import login_manager
from tracker.i18n import SESSION_KEY, _, _l, ngettext

bp = Blueprint("auth", __name__)
MOBILE_KEY = "sign_in_mobile"

@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    mobile_form = MobileForm(formdata=None)
    status, headers = 200, {}
    if form.validate_on_submit():
        # request.remote_addr is the client's: behind TRUSTED_PROXIES proxies, ProxyFix has set it.
        result = ops.authenticate(form.username.data, form.password.data, address=request.remote_addr,
                                  device=request.cookies.get(KNOWN_DEVICE_COOKIE))
        always_commit()  # a wrong password is counted (and may make the next attempt wait) though the answer is 401
        if result.user is not None:
            _fresh_session()
            login_user(result.user)
            response = redirect(safe_next(request.args.get("next"), url_for("core.index")))
            response.set_cookie(KNOWN_DEVICE_COOKIE, result.device_token, max_age=KNOWN_DEVICE_DAYS * 86400,
                                path=url_for("auth.login"), httponly=True, samesite="Lax",
                                secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
            return response
        if result.wait_until is not None:
            seconds = ops.seconds_until(result.wait_until)
            flash(_wait_message(seconds), "error")
            status, headers = 429, {"Retry-After": str(seconds)}
        else:
            flash(_("The username or password is not right."), "error")
            status = 401
    return render_template("auth/login.html", form=form, mobile_form=mobile_form), status, headers


def _fresh_session() -> None:
    """A fresh session on sign-in, keeping the chosen language."""
    locale = session.get(SESSION_KEY)
    session.clear()
    if locale:
        session[SESSION_KEY] = locale


@bp.route("/login/mobile", methods=["POST"])
def login_mobile():
    """Ask for a sign-in code: the same answer whether or not the number belongs to a login."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    mobile_form = MobileForm()
    status, headers = 200, {}
    if mobile_form.validate_on_submit():
        result = codes.request_sign_in_code(mobile_form.mobile.data, request.remote_addr, request.host)
        always_commit()  # the request is counted even when it must wait
        if result.wait_until is not None:
            seconds = ops.seconds_until(result.wait_until)
            flash(_code_wait_message(seconds), "error")
            status, headers = 429, {"Retry-After": str(seconds)}
        elif result.refused:
            flash(result.refused, "error")
            status = 409
        else:
            if result.send is not None:
                after_commit(result.send)  # sent at once, once the code is committed
            session[MOBILE_KEY] = mobile_form.mobile.data.strip()
            return redirect(url_for("auth.login_code", next=request.args.get("next")))
    else:
        status = 400
    return render_template("auth/login.html", form=LoginForm(formdata=None), mobile_form=mobile_form,
                           by_mobile=True), status, headers


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """Type the code that was sent to the mobile number."""
    number = session.get(MOBILE_KEY)
    if current_user.is_authenticated or not number:
        return redirect(url_for("core.index" if current_user.is_authenticated else "auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        result = codes.check_sign_in_code(number, form.code.data, address=request.remote_addr)
        always_commit()  # a wrong code counts a try, and a failure of the client address
        if result.user is not None:
            _fresh_session()
            days = int(current_app.config["MOBILE_SIGN_IN_DAYS"])
            login_user(result.user, remember=True, duration=timedelta(days=days))
            return redirect(safe_next(request.args.get("next"), url_for("core.index")))
        if result.wait_until is not None:
            seconds = ops.seconds_until(result.wait_until)
            flash(_wait_message(seconds), "error")
            return render_template("auth/login_code.html", form=form, number=number), 429, {"Retry-After": str(seconds)}
        flash(_("The code is not right, or it is no longer valid. Check it, or ask for a new code."), "error")
        status = 401
    return render_template("auth/login_code.html", form=form, number=number), status


def _code_wait_message(seconds: int) -> str:
    minutes = -(-seconds // 60)
    if seconds < 60:
        return ngettext("Too many requests for a code. Please wait %(num)d second, then try again.",
                        "Too many requests for a code. Please wait %(num)d seconds, then try again.", seconds)
    return ngettext("Too many requests for a code. Please wait %(num)d minute, then try again.",
                    "Too many requests for a code. Please wait %(num)d minutes, then try again.", minutes)


def _wait_message(seconds: int) -> str:
    if seconds < 60:
        return ngettext(
            "Too many failed attempts. Please wait %(num)d second, then try again.",
            "Too many failed attempts. Please wait %(num)d seconds, then try again.",
            seconds,
        )
    minutes = -(-seconds // 60)
    return ngettext(
        "Too many failed attempts. Please wait %(num)d minute, then try again.",
        "Too many failed attempts. Please wait %(num)d minutes, then try again.",
        minutes,
    )


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out on this phone (or browser) only: its session and remember cookie are forgotten; the
    login's other phones stay signed in (see :func:`logout_everywhere`). The sign-in page goes on in the
    language the message below is in (the login's saved language may differ from the session's choice)."""
    # A language the login saved or the switch chose is kept; one that came from the browser comes again.
    reading = getattr(current_user, "locale", None) or session.get(SESSION_KEY)
    _fresh_session()
    logout_user()  # after: it asks (in the session) for the phone's remember cookie to be deleted
    if reading in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = reading
    flash(_("You have logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/logout/everywhere", methods=["GET", "POST"])
@login_required
def logout_everywhere():
    """Sign out on all phones, after a confirmation: every session of the login ends."""
    if request.method == "GET":
        return render_template("auth/logins/confirm.html", title=_("Sign out on all phones"),
                               message=_("You will be signed out on this phone and on every other phone or "
                                         "computer where you are signed in. To sign in again you will need a "
                                         "new code or your password."),
                               button=_("Sign out on all phones"), danger=True, cancel_url=url_for("auth.settings"))
    ops.sign_out_everywhere(current_user)
    _fresh_session()
    logout_user()  # after: it asks (in the session) for the phone's remember cookie to be deleted
    flash(_("You have been signed out on all phones."), "success")
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
    from tracker.auth.history import register_fields
    from tracker.core.links import register_page_panel
    from tracker.core.signals import locale_chosen

    app.register_blueprint(bp)
    register_fields()
    locale_chosen.connect(_keep_locale, weak=False)
    from tracker.auth.posts import post_ended as _post_ended_receiver
    from tracker.core.signals import post_ended

    post_ended.connect(_post_ended_receiver, weak=False)  # a login left with no post is deactivated
    register_page_panel("directory.person.facts", "auth/_person_login.html", _person_login, action="users.manage")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(ops.load_user)

    from tracker.auth.cli import users_cli

    app.cli.add_command(users_cli)
