"""Invitations, reminders and digests: the outbox, its channels and the scheduler process."""

from __future__ import annotations

# Defaults of the TRACKER_* settings of this domain (docs/reminders.md explains each).
CONFIG_DEFAULTS = {
    "SMTP_HOST": "",  # empty: e-mail goes to the console channel
    "SMTP_PORT": 587,
    "SMTP_SECURITY": "starttls",  # starttls | ssl | none
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_FROM": "tracker@localhost",
    "SMTP_TIMEOUT": 30,
    "WEBHOOK_URL": "",  # empty: SMS and WhatsApp go to the console channel
    "WEBHOOK_SECRET": "",
    "WEBHOOK_TIMEOUT": 15,
    "OUTBOX_MAX_ATTEMPTS": 5,
    "OUTBOX_BACKOFF_SECONDS": 60,
    "OUTBOX_BACKOFF_MAX_SECONDS": 3600,
    "OUTBOX_BATCH_SIZE": 50,
    "OUTBOX_CLAIM_TIMEOUT": 300,
    "SCHEDULER_DELIVERY_INTERVAL": 15,
    "SCHEDULER_LEASE_SECONDS": 30,
    "DIGEST_TIME": "08:00",
    "DIGEST_LATEST": "12:00",
    "ACTION_REMINDER_TIME": "07:30",
    "PUBLIC_URL": "",  # e.g. https://tracker.example.org: the root of the links in messages
    "PERSONAL_LINK_DAYS": 30,  # a personal link's validity when the person has no session to come
    # The ids the operator (DLT) or WhatsApp gave the registered templates: {name: {locale: id}}, e.g.
    # {"invitation": {"hi": "1107170000000000001", "en": "1107170000000000002"}}; a missing one is
    # "tracker_<name>_<locale>". `tracker messages templates` prints the texts to register.
    "MESSAGE_TEMPLATE_IDS": {},
}


def init_app(app):
    from tracker.core.companions import register_serve_companion
    from tracker.reminders import handlers, models  # noqa: F401
    from tracker.reminders.cli import messages_cli, outbox_cli, scheduler_command
    from tracker.reminders.history import register_fields

    for key, value in CONFIG_DEFAULTS.items():
        app.config.setdefault(key, value)
    handlers.connect()
    register_fields()

    from tracker.reminders.views import init_app as init_views

    init_views(app)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(messages_cli)
    register_serve_companion("scheduler")
