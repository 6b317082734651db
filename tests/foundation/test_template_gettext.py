"""No template assigns gettext's names: a ``{% set _ = … %}`` in a macro makes every later ``_()`` of
that macro call the assigned value (``None`` after ``list.append``) instead of translating."""

from __future__ import annotations

from pathlib import Path

from jinja2 import nodes

ROOT = Path(__file__).resolve().parents[2]
GETTEXT_NAMES = {"_", "gettext", "ngettext", "pgettext", "npgettext"}


def _rebinds(app, path: Path) -> list[str]:
    tree = app.jinja_env.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{node.lineno} binds {node.name}" for node in tree.find_all(nodes.Name)
            if node.ctx in ("store", "param") and node.name in GETTEXT_NAMES]  # set, for, macro arguments


def test_no_template_rebinds_gettext(app):
    found = [hit for path in sorted((ROOT / "templates").rglob("*.html")) for hit in _rebinds(app, path)]
    assert found == []


def test_a_field_with_help_and_errors_still_renders_through_the_macro(app):
    from wtforms import StringField

    from tracker.forms import BaseForm

    class Form(BaseForm):
        name = StringField("Name", description="As on the voter list")

    with app.test_request_context():
        form = Form(meta={"csrf": False})
        form.name.errors = ["Too short."]
        html = app.jinja_env.from_string(
            '{% from "macros/forms.html" import render_field %}{{ render_field(form.name) }}').render(form=form)
    assert 'aria-describedby="name-help name-error"' in html and 'aria-invalid="true"' in html
    assert "Too short." in html and "As on the voter list" in html
