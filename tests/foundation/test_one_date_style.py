"""Dates and times in one style (issue 15): only tracker/i18n.py formats them for people (fmt_date,
fmt_time, fmt_datetime: "22 सितंबर 2025, 13:00"). A source test fails on any other way of turning a
date or a time into text (``strftime``, ``isoformat``, ``%``-format specs in f-strings, Babel's
``format_*`` functions, Jinja's ``datetimeformat``-style filters, ``|string``), except where the text
is for a machine: the allow-list names each place and why.
"""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime, time
from pathlib import Path

from flask_babel import force_locale

from tracker.i18n import fmt_date, fmt_datetime, fmt_time

ROOT = Path(__file__).resolve().parents[2]

# (file, a piece of the line) → why the text is for a machine, not a person.
MACHINE_FORMATS = {
    ("templates/reports/index.html", ".isoformat()"): "the value of a date input (HTML wants ISO dates)",
    ("tracker/attendance/reports.py", 'strftime("%Y-%m")'): "a month's key; its column title is fmt_date(…, 'month')",
    ("tracker/reminders/operations.py", 'strftime("%Y%m%dT%H%MZ")'): "a stamp inside message keys",
    ("tracker/reminders/operations.py", "day.isoformat()"): "idempotency keys of queued messages",
    ("tracker/api/common.py", "marker.isoformat()"): "an API paging cursor",
    ("tracker/audit/operations.py", "value.isoformat()"): "the audit trail's stored data (shown through the history)",
    ("tracker/core/exports.py", "value.isoformat()"): "ISO date columns of CSV exports",
    ("tracker/directory/io.py", "value.isoformat()"): "ISO date columns of directory exports",
    ("tracker/directory/io.py", "today_local().isoformat()"): "an export's file name",
    ("tracker/reviews/views.py", "reviewed_on.isoformat()"): "an ISO date column of the reviews CSV",
    ("tracker/reviews/views.py", "updated_at.isoformat()"): "the autosave header (compared, never shown)",
    ("tracker/meetings/planning.py", "isoformat()"): "the plan as JSON (API, `tracker plan --format json`)",
    ("tracker/meetings/planning.py", "isoformat(timespec"): "the plan as JSON",
    ("tracker/meetings/planner/replan.py", "day.date.isoformat()"): "a move's key (named by plan_messages)",
    ("tracker/meetings/views.py", "d.isoformat(), fmt_date("): "an option's value; its label is fmt_date",
    ("tracker/attendance/views.py", "today_local().isoformat()"): "the format the date field accepts (YYYY-MM-DD)",
    ("tracker/auth/posts.py", "end_date.isoformat()"): "the audit trail's reason (data, in English)",
    ("tracker/demo.py", "starts_on.isoformat()"): "the developer's demo summary",
    ("templates/attendance/_panel.html", "now.strftime('%H:%M')"): "the value of an <input type=time>",
    ("templates/meetings/timetable.html", "day=d.day.isoformat()"): "a URL",
    ("templates/reviews/edit.html", "updated_at.isoformat()"): "a data attribute for the autosave script",
    ("tracker/meetings/reply_list_views.py", "starts_on.isoformat()"): "a download's file name",
    ("tracker/core/pdf.py", "day.isoformat()"): "a PDF's file name (sorts by date in any language)",
    ("templates/meetings/day_sheet.html", "day=day.day.isoformat()"): "a URL",
    ("templates/meetings/replies.html", 'data-day="{{ d.isoformat() }}"'): "a data attribute (its cell shows day(d))",
}
PYTHON_PATTERNS = re.compile(r"\.strftime\(|\.isoformat\(|\bformat_(date|time|datetime|skeleton|timedelta)\b")
TEMPLATE_PATTERNS = re.compile(r"strftime|isoformat|\|\s*(datetimeformat|dateformat|timeformat|timedeltaformat)\b|"
                               r"(_at|_on|date|time)\s*\|\s*string")


def _allowed(relative: str, line: str) -> bool:
    return any(path == relative and piece in line for path, piece in MACHINE_FORMATS)


def _percent_specs(source: str) -> list[int]:
    """Lines of f-strings with a strftime format spec: f"{when:%Y-%m-%d}"."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
            if "%" in spec:
                lines.append(node.lineno)
    return lines


def test_only_the_house_style_formats_dates_and_times_for_people():
    found = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "tracker/i18n.py" or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for n, line in enumerate(lines, 1):
            if PYTHON_PATTERNS.search(line) and not _allowed(relative, line):
                found.append(f"{relative}:{n}: {line.strip()}")
        found += [f"{relative}:{n}: {lines[n - 1].strip()}" for n in _percent_specs(source)]
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_PATTERNS.search(line) and not _allowed(relative, line):
                found.append(f"{relative}:{n}: {line.strip()}")
    assert found == [], "use fmt_date/fmt_time/fmt_datetime (or say in MACHINE_FORMATS why not):\n" + "\n".join(found)


def test_the_house_style(app):
    moment = datetime(2025, 9, 22, 7, 30, 15, tzinfo=UTC)  # 13:00:15 in India
    with force_locale("hi"):
        assert fmt_datetime(moment) == "22 सितंबर 2025, 13:00"
        assert fmt_date(date(2025, 9, 22), "weekday") == "सोमवार, 22 सितंबर 2025"
    with force_locale("en"):
        assert fmt_datetime(moment) == "22 September 2025, 13:00"  # 24-hour clock, no seconds
        assert fmt_time(time(11, 0, 0)) == "11:00"
        # Babel's own style names all mean the house style: no "23/9/25, 3:15 pm", no "11:00:00 am".
        for style in ("short", "medium", "long"):
            assert fmt_date(date(2025, 9, 23), style) == "23 September 2025"
        assert fmt_time(moment, "medium") == "13:00"
