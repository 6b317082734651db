"""Minutes (कार्यवृत्त) of meetings and group sessions: a draft made from the data, written by the office,
approved by the chair or the office, versioned, sent to the invitees and the national office."""

from __future__ import annotations


def init_app(app):
    from tracker.minutes import home, models  # noqa: F401
    from tracker.minutes.history import register_fields
    from tracker.minutes.markup import to_html
    from tracker.minutes.messages import PDF_MAKER, pdf_attachment
    from tracker.minutes.printables import logo_src
    from tracker.minutes.views import bp, link_bp, public_bp
    from tracker.reminders import attachments

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(link_bp)
    app.jinja_env.filters["minutes_html"] = to_html
    app.jinja_env.filters["minutes_logo_src"] = logo_src
    home.register()
    register_fields()
    attachments.register(PDF_MAKER, pdf_attachment)
