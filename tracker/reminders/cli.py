"""``tracker scheduler`` (the scheduler process) and ``tracker outbox …`` (one-off runs of its jobs).

What the commands print is in the office's default language (``DEFAULT_LOCALE``), like every CLI."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from tracker.extensions import db
from tracker.i18n import _, fmt_date, ngettext
from tracker.reminders import jobs
from tracker.reminders import operations as ops
from tracker.timeutil import now_utc, today_local


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler: deliver the outbox, queue the morning digest and action-item reminders.

    Start one per installation beside the web server (more are harmless: they wait for the lease).
    """
    import logging

    from tracker.reminders.scheduler import run_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # "skipped: maximum number of running instances reached" is the intended max_instances=1 at work
    # while a long batch is being sent; not worth a line every interval.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    app = current_app._get_current_object()
    run_forever(app)


outbox_cli = AppGroup("outbox", help="Run the outbox's jobs once (the scheduler runs them by itself).")


@outbox_cli.command("deliver")
def deliver_command():
    """Send the due messages once."""
    report = jobs.deliver(token_prefix="cli-")
    if report.paused:
        click.echo(_("Sending is paused."))
    click.echo(_("%(sent)s sent, %(retrying)s to retry, %(failed)s failed, %(skipped)s skipped",
                 sent=report.sent, retrying=report.retrying, failed=report.failed, skipped=report.skipped))


@outbox_cli.command("digest")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Default: today.")
def digest_command(day):
    """Queue the office digest (once per day; running it again adds nothing)."""
    the_day: date = day.date() if day else today_local()
    count = ops.queue_digest(the_day, now_utc())
    db.session.commit()
    click.echo(ngettext("%(num)s digest message queued for %(day)s", "%(num)s digest messages queued for %(day)s",
                        count, day=fmt_date(the_day)))


@outbox_cli.command("action-items")
def action_items_command():
    """Queue today's action-item due reminders."""
    count = jobs.queue_action_items()
    click.echo(ngettext("%(num)s action-item reminder queued", "%(num)s action-item reminders queued", count))


messages_cli = AppGroup("messages", help="The messages the app sends by SMS and WhatsApp.")


@messages_cli.command("templates")
@click.option("--language", "languages", multiple=True, help="Only this language (hi, en); repeatable.")
def templates_command(languages):
    """Print the templates to register with the SMS operator (DLT) and WhatsApp: per message kind and
    language its id (MESSAGE_TEMPLATE_IDS), its variables in order, and its text."""
    from tracker.reminders import message_templates

    for template in message_templates.TEMPLATES.values():
        for locale in languages or current_app.config["LANGUAGES"]:
            click.echo(_("== %(name)s [%(language)s] id: %(id)s", name=template.name, language=locale,
                         id=message_templates.template_id(template.name, locale)))
            click.echo(_("Variables: %(names)s", names=", ".join(template.slots(locale))))
            click.echo(_("For the SMS operator (DLT):"))
            click.echo(template.dlt_text(locale))
            click.echo(_("For WhatsApp:"))
            click.echo(template.whatsapp_text(locale))
            click.echo()
