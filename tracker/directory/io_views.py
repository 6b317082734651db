"""Pages for importing and exporting the directory (CSV and XLSX).

Between the preview and the commit the uploaded file is kept in the instance folder under a random
name (``instance/imports/<token>.<ext>``); the commit form carries only the token. Files older than
a day are removed on the next upload.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from tracker import policy
from tracker.core import exports
from tracker.core.transaction import after_commit, discard, refusals_go_to, refusals_shown
from tracker.directory import io as dio
from tracker.directory.models import Channel, DistrictKind, UnitLevel
from tracker.forms import BaseForm
from tracker.i18n import _, _l, current_locale
from tracker.timeutil import wall_now

bp = Blueprint("directory_io", __name__, url_prefix="/directory")

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600
FATE_BADGES = {dio.NEW: "success", dio.UPDATE: "info", dio.UNCHANGED: "muted", dio.ERROR: "danger"}


class UploadForm(BaseForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file.")), FileAllowed(list(dio.FORMATS), _l("Upload a .csv or .xlsx file."))],
        description=_l("A units, people or posts list; an Excel file may hold all three, one per sheet."),
    )


class CommitForm(BaseForm):
    token = HiddenField(validators=[DataRequired(), Regexp(_TOKEN.pattern)])
    ext = HiddenField(validators=[DataRequired(), Regexp(r"^(csv|xlsx)$")])
    filename = HiddenField()


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored_path(token: str, ext: str) -> Path:
    if not _TOKEN.match(token or "") or ext not in dio.FORMATS:
        abort(400)
    return _upload_dir() / f"{token}.{ext}"


def _remove_old_uploads() -> None:
    cutoff = wall_now().timestamp() - KEEP_SECONDS  # file ages (mtimes) are real time, not the app's clock
    for path in _upload_dir().glob("*.*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _render_upload(form: UploadForm, status: int = 200):
    return render_template(
        "directory/import.html", form=form, kinds=dio.KINDS, formats=dio.FORMATS,
        columns=dio.COLUMNS, can_export=policy.can(current_user, "directory.export"), limits=dio.Limits.from_config(),
        cell_codes=_cell_codes(),
    ), status


def _cell_codes() -> dict[str, list[tuple[str, str]]]:
    """The codes a file's cells take, each with its title in the reader's language."""
    return {
        "levels": [(m.value, m.title) for m in UnitLevel],
        "kinds": [(m.value, m.title) for m in DistrictKind],
        "channels": [(m.value, m.title) for m in Channel],
        "languages": [("hi", _("Hindi")), ("en", _("English"))],
    }


def _render_preview(report: dio.ImportReport, commit_form: CommitForm, filename: str, status: int = 200):
    locale = current_locale()
    return render_template(
        "directory/import_preview.html", report=report, counts=report.counts(), commit_form=commit_form,
        filename=filename, fates=dio.FATES, fate_badges=FATE_BADGES,
        change_label=lambda kind, name: dio.change_label(kind, name, locale), show=dio.show_value,
    ), status


def _import(data: bytes, filename: str, commit: bool) -> dio.ImportReport:
    """Run the import (an unreadable file is refused). Never keeps the changes unless ``commit`` and
    the report is clean."""
    report = dio.import_file(data, filename, commit=commit)
    if not report.committed:
        discard()
    return report


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_upload():
    policy.require(current_user, "directory.import")
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_upload(form, 400 if request.method == "POST" else 200)
    upload = form.file.data
    filename = Path(upload.filename or "upload").name
    ext = Path(filename).suffix.lower().lstrip(".")
    data = upload.read()
    with refusals_shown():  # a file that cannot be read: why, and the upload form again
        report = _import(data, filename, commit=False)
        _remove_old_uploads()
        token = secrets.token_hex(16)
        _stored_path(token, ext).write_bytes(data)
        commit_form = CommitForm(formdata=None, token=token, ext=ext, filename=filename)
        return _render_preview(report, commit_form, filename)
    return _render_upload(form, 400)


@bp.route("/import/commit", methods=["POST"])
@login_required
def import_commit():
    policy.require(current_user, "directory.import")
    form = CommitForm()
    if not form.validate_on_submit():
        abort(400)
    path = _stored_path(form.token.data, form.ext.data)
    if not path.exists():
        flash(_("The uploaded file is no longer here; please upload it again."), "error")
        return redirect(url_for(".import_upload"))
    filename = form.filename.data or path.name
    refusals_go_to(url_for(".import_upload"))
    report = _import(path.read_bytes(), filename, commit=True)
    if not report.committed:
        flash(_("Nothing was imported: some rows have errors. Correct the file and upload it again."), "error")
        return _render_preview(report, form, filename, 422)
    after_commit(lambda: path.unlink(missing_ok=True))
    counts = report.counts()
    flash(_("Imported: %(new)d new, %(update)d updated, %(unchanged)d unchanged.", new=counts[dio.NEW],
            update=counts[dio.UPDATE], unchanged=counts[dio.UNCHANGED]), "success")
    return redirect(url_for(".import_upload"))


def _kind_and_format(kind: str, fmt: str) -> None:
    if kind not in dio.KINDS or fmt not in dio.FORMATS:
        abort(404)


@bp.route("/import/template/<kind>.<fmt>")
@login_required
def import_template(kind: str, fmt: str):
    policy.require(current_user, "directory.import")
    _kind_and_format(kind, fmt)
    locale = request.args.get("lang") if request.args.get("lang") in ("hi", "en") else current_locale()
    return exports.download(dio.export(kind, fmt, locale, empty=True), fmt,
                     dio.export_filename(kind, fmt, locale, template=True))


@bp.route("/export/<kind>.<fmt>")
@login_required
def export(kind: str, fmt: str):
    policy.require(current_user, "directory.export")
    _kind_and_format(kind, fmt)
    locale = current_locale()
    return exports.download(dio.export(kind, fmt, locale), fmt, dio.export_filename(kind, fmt, locale))


def init_app(app: Flask) -> None:
    from tracker.core.nav import register_nav

    app.register_blueprint(bp)
    register_nav("directory_io.import_upload", _l("Import / export"), "directory.import", order=22)
