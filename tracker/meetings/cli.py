"""``tracker plan``: plan a multi-day meeting from the command line (and optionally save it)."""

from __future__ import annotations

import json
import sys
from datetime import date, time

import click
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.i18n import _, fmt_date
from tracker.meetings import operations as ops
from tracker.meetings import planning
from tracker.meetings.models import MeetingPurpose
from tracker.meetings.rooms import room_label

EXIT_INFEASIBLE = 2


def _input_from_options(opts: dict) -> planning.PlanInput:
    window = planning.parse_window(opts["window"]) if opts["window"] else (time(11, 0), time(17, 0))
    pins: dict = {}
    for text in opts["pin"]:
        day, codes = planning.parse_pin(text)
        pins.setdefault(day, []).extend(codes)
    return planning.PlanInput(
        division_codes=planning.parse_codes(opts["divisions"]), start=planning.parse_date(opts["start"]),
        days=opts["days"], per_day=opts["per_day"], pins=pins, window=window,
        group_minutes=opts["group_minutes"], one_to_one_minutes=opts["one_to_one_minutes"],
        gap_minutes=opts["gap_minutes"], extra_reviewers=planning.parse_codes(opts["reviewers"] or ""),
        breaks=([] if opts["no_breaks"] else [planning.parse_break(b) for b in opts["break_"]]
                or list(planning.DEFAULT_BREAKS)),
    )


def _print_text(data: dict) -> None:
    for day in data["days"]:
        click.echo(f"{fmt_date(date.fromisoformat(day['date']))}  {', '.join(day['divisions'])}")
        gs = day["group_session"]
        if gs:
            click.echo("  " + _("%(start)s–%(end)s group session (%(room)s), %(count)s invitees",
                                start=gs["start"][11:], end=gs["end"][11:], room=room_label(gs["room"]),
                                count=len(gs["invitees"])))
        for slot in day["one_to_ones"]:
            reviewers = ", ".join(n or str(r) for n, r in zip(slot["reviewer_names"], slot["reviewers"], strict=True))
            click.echo("  " + _("%(start)s–%(end)s %(district)s: %(president)s with %(reviewers)s (%(room)s)",
                                start=slot["start"][11:], end=slot["end"][11:], district=slot["district"],
                                president=slot["president_name"] or "-", reviewers=reviewers,
                                room=room_label(slot["room"])))
    for problem in data["problems"]:
        click.echo(f"[{problem['code']}] {problem['message']}")
    if "meeting_id" in data:
        click.echo(_("Saved as draft meeting %(id)s.", id=data["meeting_id"]))


@click.command("plan")
@click.option("--divisions", required=True, help="Division codes, comma-separated (e.g. bhopal,narmadapuram).")
@click.option("--start", required=True, help="First date, YYYY-MM-DD.")
@click.option("--days", required=True, type=click.IntRange(min=1), help="Number of meeting days.")
@click.option("--per-day", default=2, show_default=True, type=click.IntRange(min=1), help="Divisions a day.")
@click.option("--pin", multiple=True, help="DATE:CODES, e.g. 2025-09-22:bhopal,narmadapuram (repeatable).")
@click.option("--window", default="11:00-17:00", show_default=True, help="The day's window HH:MM-HH:MM.")
@click.option("--group-minutes", default=120, show_default=True, type=click.IntRange(min=1))
@click.option("--one-to-one-minutes", default=15, show_default=True, type=click.IntRange(min=1))
@click.option("--gap-minutes", default=0, show_default=True, type=click.IntRange(min=0))
@click.option("--break", "break_", multiple=True, metavar="HH:MM-HH:MM",
              help="A break no session crosses (repeatable). Default: lunch 13:30-14:15 and tea 16:00-16:15.")
@click.option("--no-breaks", is_flag=True, help="Plan the day without breaks.")
@click.option("--reviewers", default="", help="Extra reviewers for every one-to-one: role codes "
              "(state_incharge, state_president, org_incharge) or person ids, comma-separated.")
@click.option("--save", "save_title", default=None, help="Save the plan as a draft meeting with this title.")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@with_appcontext
def plan_command(save_title, fmt, **opts):
    """Plan a multi-day meeting of district presidents; exit 2 when no plan exists."""
    try:
        context, plan = planning.make_plan(_input_from_options(opts))
    except ops.MeetingError as exc:
        _fail(fmt, "invalid_input", exc.message)
    data = planning.plan_to_dict(plan, context)
    if plan.problems:
        _emit(fmt, data)
        sys.exit(EXIT_INFEASIBLE)
    if save_title:
        try:
            meeting = planning.save_plan(plan, context, {"title_en": save_title, "title_hi": save_title,
                                                         "purpose": MeetingPurpose.REVIEW})
        except ops.MeetingError as exc:
            db.session.rollback()
            _fail(fmt, "clash", exc.message)
        db.session.commit()
        data["meeting_id"] = meeting.id
    _emit(fmt, data)


def _emit(fmt: str, data: dict) -> None:
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_text(data)


def _fail(fmt: str, code: str, message: str) -> None:
    _emit(fmt, {"days": [], "problems": [{"code": code, "message": message}]})
    sys.exit(EXIT_INFEASIBLE)


def init_app(app) -> None:
    app.cli.add_command(plan_command)
