"""``tracker directory …``: import, export, search and reindex the directory."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from tracker.core import exports
from tracker.directory import io as dio
from tracker.directory import search as dsearch
from tracker.extensions import db
from tracker.i18n import _

directory_cli = AppGroup("directory", help="Import, export and search the party directory.")

_locale_option = click.option(
    "--lang", type=click.Choice(["hi", "en"]), default=None,
    help="Language of headers and messages (default: the app's default locale).",
)


def _locale(lang: str | None) -> str:
    return lang or current_app.config["DEFAULT_LOCALE"]


def _print_report(report: dio.ImportReport) -> None:
    for row in report.rows:
        where = f"{row.sheet}:{row.line}" if row.sheet else str(row.line)
        line = f"{where:>8}  {row.kind:7} {dio.RowFate(row.fate).title:9} {row.label}"
        for name, old, new in row.changes:
            line += f"\n{'':18}{name}: {old!r} -> {new!r}"
        for message in row.errors + row.notes:
            line += f"\n{'':18}{message}"
        click.echo(line)
    counts = report.counts()
    click.echo(", ".join(f"{fate.title}: {counts[fate]}" for fate in dio.FATES))


@directory_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commit", is_flag=True, help="Apply the file (all rows or none); without it, only a preview.")
@_locale_option
def import_command(file: Path, commit: bool, lang: str | None):
    """Preview (or with --commit, apply) a CSV or XLSX file of units, people or posts.

    Exits with status 1 when any row has an error; then nothing is changed.
    """
    with force_locale(_locale(lang)):
        try:
            report = dio.import_file(file.read_bytes(), file.name, commit=commit)
        except dio.ImportFileError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
        _print_report(report)
        if report.committed:
            db.session.commit()
            click.echo(_("Saved."))
        else:
            db.session.rollback()
            if commit and not report.has_errors:
                click.echo(_("Nothing saved."))
    if report.has_errors:
        sys.exit(1)


@directory_cli.command("export")
@click.argument("kind", type=click.Choice([kind.value for kind in dio.KINDS]))
@click.option("--format", "fmt", type=click.Choice(dio.FORMATS), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output; XLSX needs --out or a redirected output).")
@click.option("--template", is_flag=True, help="Only the header row: an empty template to fill in.")
@_locale_option
def export_command(kind: str, fmt: str, out: Path | None, template: bool, lang: str | None):
    """Export units, people or posts as CSV (to standard output by default) or XLSX."""
    locale = _locale(lang)
    if out is None and fmt == "csv":
        buffer = io.StringIO()
        exports.write_csv(dio.export_rows(kind, locale, empty=template), buffer)
        click.echo(buffer.getvalue(), nl=False)
        return
    data = dio.export(kind, fmt, locale, empty=template)
    if out is not None:
        out.write_bytes(data)
        click.echo(_("Wrote %(file)s.", file=out), err=True)
    elif sys.stdout.isatty():
        raise click.UsageError(_("An XLSX file is binary: give --out FILE or redirect the output."))
    else:
        sys.stdout.buffer.write(data)


@directory_cli.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", default=20, show_default=True)
@click.option("--archived", is_flag=True, help="Include archived units and people.")
def search_command(text: tuple[str, ...], fmt: str, limit: int, archived: bool):
    """Search units and people by name or code, in Devanagari or Latin script."""
    hits = dsearch.search(" ".join(text), limit=limit, include_archived=archived)
    if fmt == "json":
        click.echo(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
        return
    for hit in hits:
        code = f" [{hit.code}]" if hit.code else ""
        click.echo(f"{hit.kind:6} {hit.id:>6}  {hit.name_hi} / {hit.name_en}{code}")
    if not hits:
        click.echo(_("No matches."), err=True)


@directory_cli.command("reindex")
def reindex_command():
    """Recompute every unit's and person's search key (after the normalization changed)."""
    counts = dsearch.reindex_all()
    db.session.commit()
    click.echo(", ".join(_("%(table)s: %(num)s updated", table=table, num=n) for table, n in counts.items()))


def init_app(app) -> None:
    app.cli.add_command(directory_cli)
