"""Pages of the API: its documentation, and the API-token section of the settings page."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.api import operations as ops
from tracker.api.forms import TokenForm
from tracker.api.framework import URL_PREFIX
from tracker.api.models import ApiToken
from tracker.core.transaction import refusals_go_to
from tracker.extensions import db
from tracker.i18n import _

docs = Blueprint("api_docs", __name__, url_prefix=URL_PREFIX)
bp = Blueprint("api_tokens", __name__, url_prefix="/settings/api-tokens")


@docs.route("/docs")
def documentation():
    """Browsable documentation (Swagger UI, vendored), open to all like the document it shows."""
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))


@bp.route("", methods=["POST"])
@login_required
def create():
    policy.require(current_user, "api.tokens")
    form = TokenForm()
    if not form.validate_on_submit():
        for message in form.name.errors:
            flash(message, "error")
        return redirect(url_for("auth.settings", _anchor="api-tokens"))
    refusals_go_to(url_for("auth.settings", _anchor="api-tokens"))
    token, secret = ops.create_token(current_user, form.name.data)
    # The secret is shown on this response only: never stored, never redirected through the session.
    html = render_template("api/token_created.html", token=token, secret=secret)
    return html, 200, {"Cache-Control": "no-store"}


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    policy.require(current_user, "api.tokens")
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        return redirect(url_for("auth.settings", _anchor="api-tokens"))
    ops.revoke_token(token)
    flash(_("The token %(name)s was revoked; it no longer works.", name=token.name), "success")
    return redirect(url_for("auth.settings", _anchor="api-tokens"))


def _settings_section(user) -> dict:
    """The settings page's token list and form (one query)."""
    return {"api_tokens": ops.tokens_of(user), "api_token_form": TokenForm(formdata=None)}


def init_app(app: Flask) -> None:
    from tracker.core.links import register_page_panel

    app.register_blueprint(docs)
    app.register_blueprint(bp)
    register_page_panel("auth.settings", "api/_settings.html", _settings_section, action="api.tokens", order=80)
