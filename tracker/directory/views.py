"""Pages of the directory: the tree, units, people and posts. Thin: form → operation → redirect (the
request transaction commits; a refusal is shown on the form, or flashed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tracker import policy
from tracker.audit.queries import history
from tracker.core.form_views import form_page
from tracker.core.pagination import requested_page
from tracker.core.transaction import discard, refusals_go_to, refusals_shown
from tracker.directory import operations as ops
from tracker.directory import queries
from tracker.directory.forms import AppointForm, EndPostForm, PersonForm, PostForm, UnitForm
from tracker.directory.models import STANDARD_ROLES, Person, Post, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, current_locale, fmt_date, localized, name_order

bp = Blueprint("directory", __name__, url_prefix="/directory")

# --- helpers -----------------------------------------------------------------------------------


@bp.context_processor
def _search_link() -> dict:
    """The search page (part of the directory, served by its own module) when it is registered."""
    for endpoint in ("directory_search.search_page", "directory.search"):
        if endpoint in current_app.view_functions:
            return {"directory_search_url": url_for(endpoint)}
    return {"directory_search_url": None}


def _get_or_404(model, object_id: int):
    """A unit, person or post the user may see; else 404, whether it is missing or only hidden from
    them (another district's person answers as a missing one: issue 17)."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    if isinstance(obj, Unit):
        policy.require(current_user, "unit.view", obj, hidden=True)
    else:
        policy.require(current_user, "person.view", obj.person if isinstance(obj, Post) else obj, hidden=True)
    return obj


def _require(action: str, target=None) -> None:
    policy.require(current_user, action, target)


def _history(entity_type: str, entity_id: int):
    """The History section's entries, or None when the user may not see the audit trail."""
    if not policy.can(current_user, "audit.view"):
        return None
    return history(entity_type, entity_id)


def _sort_args(allowed: tuple[str, ...]) -> tuple[str, str]:
    sort = request.args.get("sort", "name")
    direction = request.args.get("dir", "asc")
    return (sort if sort in allowed else "name"), ("desc" if direction == "desc" else "asc")


# --- tree and lists ----------------------------------------------------------------------------


@bp.route("/")
@login_required
def tree():
    _require("directory.view")
    return render_template("directory/tree.html", tree=queries.tree_with_counts(request.args.get("state", type=int)))


@bp.route("/units")
@login_required
def units():
    _require("directory.view")
    sort, direction = _sort_args(queries.UNIT_SORTS)
    q = request.args.get("q", "").strip()
    level = request.args.get("level") or None
    archived = request.args.get("archived") == "1"
    page = queries.units_list(requested_page(), sort, direction, q, level, archived,
                              per_page=current_app.config["PAGE_SIZE"], locale=current_locale())
    args = {"q": q or None, "level": level, "archived": "1" if archived else None}
    page.linked("directory.units", sort=sort, dir=direction, **args)
    return render_template(
        "directory/units.html", page=page, q=q, level=level, archived=archived, sort=sort, direction=direction,
        levels=list(UnitLevel), url_for_sort=lambda key, d: url_for("directory.units", sort=key, dir=d, **args),
    )


@bp.route("/people")
@login_required
def people():
    _require("directory.view")
    sort, direction = _sort_args(queries.PEOPLE_SORTS)
    q = request.args.get("q", "").strip()
    archived = request.args.get("archived") == "1"
    page = queries.people_list(requested_page(), sort, direction, q, archived,
                               per_page=current_app.config["PAGE_SIZE"], locale=current_locale())
    args = {"q": q or None, "archived": "1" if archived else None}
    page.linked("directory.people", sort=sort, dir=direction, **args)
    return render_template(
        "directory/people.html", page=page, q=q, archived=archived, sort=sort, direction=direction,
        url_for_sort=lambda key, d: url_for("directory.people", sort=key, dir=d, **args),
    )


# --- units -------------------------------------------------------------------------------------


def _unit_choice(unit: Unit) -> SelectChoice:
    return SelectChoice(unit.id, f"{localized(unit)} · {unit.level.title}")


def _parent_choices() -> list[tuple[object, str]]:
    parents = db.session.scalars(
        db.select(Unit)
        .where(Unit.level != UnitLevel.BLOCK, Unit.is_archived.is_(False))
        .order_by(Unit.level, Unit.name_en)
    )
    return [SelectChoice("", _("(none: a state)"))] + [_unit_choice(u) for u in parents]


def _unit_form(unit: Unit | None = None) -> UnitForm:
    form = UnitForm(obj=unit)
    if unit is None and request.method == "GET":
        form.parent_id.data = request.args.get("parent_id", type=int)
        parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
        if parent is not None:
            form.level.data = {UnitLevel.STATE: "division", UnitLevel.DIVISION: "district"}.get(parent.level, "block")
    form.parent_id.choices = _parent_choices()
    if unit is not None and unit.district_kind is None and request.method == "GET":
        form.district_kind.data = "whole"
    return form


def _unit_data(form: UnitForm) -> dict:
    return {
        "code": form.code.data, "level": form.level.data, "parent": form.parent_id.data,
        "name_hi": form.name_hi.data, "name_en": form.name_en.data, "district_kind": form.district_kind.data,
    }


@bp.route("/units/new", methods=["GET", "POST"])
@login_required
def unit_new():
    _require("directory.edit")
    form = _unit_form()
    return form_page(form, "directory/unit_form.html", lambda: ops.create_unit(_unit_data(form)),
                     target=lambda unit: url_for("directory.unit", unit_id=unit.id),
                     message=lambda unit: _("%(unit)s was created.", unit=localized(unit)), unit=None)


@bp.route("/units/<int:unit_id>")
@login_required
def unit(unit_id: int):
    unit = _get_or_404(Unit, unit_id)
    _require("unit.view", unit)
    return render_template("directory/unit.html", data=queries.unit_page(unit), history=_history("units", unit.id))


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
def unit_edit(unit_id: int):
    unit = _get_or_404(Unit, unit_id)
    _require("directory.edit", unit)
    form = _unit_form(unit)
    return form_page(form, "directory/unit_form.html", lambda: ops.update_unit(unit, _unit_data(form)),
                     target=url_for("directory.unit", unit_id=unit.id), message=_saved(), unit=unit)


def _saved() -> str:
    return _("The changes were saved.")


def _confirm_page(title: str, message: str, button: str, cancel_url: str, danger: bool = False):
    return render_template("directory/confirm.html", title=title, message=message, button=button,
                           cancel_url=cancel_url, danger=danger)


def _record_url(obj) -> str:
    if isinstance(obj, Unit):
        return url_for("directory.unit", unit_id=obj.id)
    return url_for("directory.person", person_id=obj.id)


def _lifecycle(model, object_id: int, operation, texts, success_url: Callable[[object], str] | None = None):
    """Archive/restore/delete: GET asks for confirmation; POST runs the operation and flashes.

    ``texts(name)`` gives (question, explanation, button, message when done, dangerous?).
    A refusal flashes why and goes back to the record.
    """
    obj = _get_or_404(model, object_id)
    _require("directory.edit", obj)
    back = _record_url(obj)
    question, explanation, button, done, danger = texts(localized(obj))
    if request.method == "GET":
        return _confirm_page(question, explanation, button, back, danger)
    target = success_url(obj) if success_url else back
    refusals_go_to(back)
    operation(obj)
    flash(done, "success")
    return redirect(target)


@bp.route("/units/<int:unit_id>/archive", methods=["GET", "POST"])
@login_required
def unit_archive(unit_id: int):
    return _lifecycle(Unit, unit_id, ops.archive_unit, lambda name: (
        _("Archive %(unit)s?", unit=name),
        _("An archived unit keeps its history but no longer appears in lists or the tree. It can be restored."),
        _("Archive"), _("%(unit)s was archived.", unit=name), True))


@bp.route("/units/<int:unit_id>/restore", methods=["GET", "POST"])
@login_required
def unit_restore(unit_id: int):
    return _lifecycle(Unit, unit_id, ops.restore_unit, lambda name: (
        _("Restore %(unit)s?", unit=name), _("The unit will appear in lists and the tree again."),
        _("Restore"), _("%(unit)s was restored.", unit=name), False))


def _above(unit: Unit) -> str:
    return url_for("directory.unit", unit_id=unit.parent_id) if unit.parent_id else url_for("directory.tree")


@bp.route("/units/<int:unit_id>/delete", methods=["GET", "POST"])
@login_required
def unit_delete(unit_id: int):
    return _lifecycle(Unit, unit_id, ops.delete_unit, lambda name: (
        _("Delete %(unit)s?", unit=name),
        _("Only a unit that nothing refers to can be deleted (for example one created by mistake). Otherwise archive it."),
        _("Delete"), _("%(unit)s was deleted.", unit=name), True), success_url=_above)


# --- people ------------------------------------------------------------------------------------


def _fields(form, *names: str) -> dict:
    """The data of the form's fields of those names, by name (what the directory's operations take)."""
    return {name: getattr(form, name).data for name in names}


def _person_data(form: PersonForm) -> dict:
    return _fields(form, "name_hi", "name_en", "mobile", "email", "preferred_locale", "preferred_channel", "note")


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def person_new():
    _require("directory.edit")
    form = PersonForm()
    return form_page(form, "directory/person_form.html", lambda: ops.create_person(_person_data(form)),
                     target=lambda person: url_for("directory.person", person_id=person.id),
                     message=lambda person: _("%(name)s was added.", name=localized(person)), person=None)


@bp.route("/people/<int:person_id>")
@login_required
def person(person_id: int):
    person = _get_or_404(Person, person_id)
    _require("person.view", person)
    return render_template("directory/person.html", data=queries.person_page(person),
                           history=_history("people", person.id))


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def person_edit(person_id: int):
    person = _get_or_404(Person, person_id)
    _require("directory.edit", person)
    form = PersonForm(obj=person)
    if request.method == "GET":
        form.preferred_channel.data = person.preferred_channel.value
    return form_page(form, "directory/person_form.html", lambda: ops.update_person(person, _person_data(form)),
                     target=url_for("directory.person", person_id=person.id), message=_saved(), person=person)


@bp.route("/people/<int:person_id>/archive", methods=["GET", "POST"])
@login_required
def person_archive(person_id: int):
    return _lifecycle(Person, person_id, ops.archive_person, lambda name: (
        _("Archive %(name)s?", name=name),
        _("An archived person keeps their history but no longer appears in lists. They can be restored."),
        _("Archive"), _("%(name)s was archived.", name=name), True))


@bp.route("/people/<int:person_id>/restore", methods=["GET", "POST"])
@login_required
def person_restore(person_id: int):
    return _lifecycle(Person, person_id, ops.restore_person, lambda name: (
        _("Restore %(name)s?", name=name), _("The person will appear in lists again."),
        _("Restore"), _("%(name)s was restored.", name=name), False))


@bp.route("/transliterate")
@login_required
def transliterate():
    """htmx: re-render the other name field with a transliteration when it is still empty."""
    _require("directory.edit")
    target = request.args.get("target")
    source = {"name_hi": "name_en", "name_en": "name_hi"}.get(target or "")
    if source is None:
        abort(400)
    form_cls = UnitForm if request.args.get("form") == "unit" else PersonForm
    form = form_cls(formdata=None, **{name: request.args.get(name, "") for name in ("name_hi", "name_en")})
    field = getattr(form, target)
    if not (field.data or "").strip():
        field.data = ops.suggest_other_script(request.args.get(source, ""))
    return render_template("directory/_name_field.html", field=field, other=getattr(form, source),
                           form_kind=request.args.get("form", "person"))


# --- posts -------------------------------------------------------------------------------------


def _role_choices() -> list[SelectChoice]:
    roles = queries.role_titles()
    choices = [SelectChoice(code, localized(role, "title")) for code, role in roles.items()]
    for code, title_en, title_hi, _single, _order in STANDARD_ROLES:
        if code not in roles:
            choices.append(SelectChoice(code, title_hi if current_locale() == "hi" else title_en))
    return choices


def _appoint_form() -> AppointForm:
    form = AppointForm()
    units = db.session.scalars(db.select(Unit).where(Unit.is_archived.is_(False)).order_by(Unit.level, Unit.name_en))
    people = db.session.scalars(db.select(Person).where(Person.is_archived.is_(False))
                                .order_by(*name_order(Person), Person.id))
    form.unit_id.choices = [SelectChoice("", "—")] + [_unit_choice(u) for u in units]
    form.person_id.choices = [SelectChoice("", "—")] + [SelectChoice(p.id, localized(p)) for p in people]
    form.role_code.choices = _role_choices()
    if request.method == "GET":
        form.unit_id.data = request.args.get("unit_id", type=int)
        form.person_id.data = request.args.get("person_id", type=int)
        form.role_code.data = request.args.get("role", "district_president")
    return form


def _confirm_appointment(form: AppointForm, person: Person, unit: Unit, replaced: list[Post]):
    """The confirmation step: it names who is replaced and resends the form with confirmed=1."""
    hidden = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirmed")]
    return render_template(
        "directory/appoint_confirm.html", person=person, unit=unit, replaced=replaced, hidden=hidden,
        role_title=next((c.label for c in form.role_code.choices if c.value == form.role_code.data), ""),
        start_date=form.start_date.data, ends_on=form.start_date.data - timedelta(days=1),
    )


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
def appoint():
    _require("directory.edit")
    form = _appoint_form()
    if form.validate_on_submit():
        person = _get_or_404(Person, form.person_id.data)
        unit = _get_or_404(Unit, form.unit_id.data)
        args = (person, unit, form.role_code.data, form.start_date.data, form.end_date.data)
        with refusals_shown(on=form):
            replaced = ops.preview_appointment(*args)
            if replaced and form.confirmed.data != "1":
                discard()  # nothing is written before the office confirms
                return _confirm_appointment(form, person, unit, replaced)
            result = ops.appoint(*args, note=form.note.data or "")
            flash(_("%(name)s was appointed.", name=localized(person)), "success")
            for old in result.replaced:
                flash(_("The term of %(name)s ended on %(date)s.", name=localized(old.person),
                        date=fmt_date(old.end_date)), "info")
            return redirect(url_for("directory.unit", unit_id=unit.id))
    return render_template("directory/appoint.html", form=form)


@bp.route("/posts/<int:post_id>")
@login_required
def post(post_id: int):
    post = _get_or_404(Post, post_id)
    _require("person.view", post.person)
    end_form = EndPostForm() if post.end_date is None else None
    return render_template("directory/post.html", post=post, end_form=end_form, history=_history("posts", post.id))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def post_edit(post_id: int):
    post = _get_or_404(Post, post_id)
    _require("directory.edit", post)
    form = PostForm(obj=post)
    return form_page(form, "directory/post_form.html",
                     lambda: ops.update_post(post, _fields(form, "start_date", "end_date", "note")),
                     target=url_for("directory.post", post_id=post.id), message=_saved(), post=post)


@bp.route("/posts/<int:post_id>/end", methods=["POST"])
@login_required
def post_end(post_id: int):
    post = _get_or_404(Post, post_id)
    _require("directory.edit", post)
    form = EndPostForm()
    back = url_for("directory.post", post_id=post.id)
    if not form.validate_on_submit():
        flash(_("Enter the last day of the term."), "error")
        return redirect(back)
    refusals_go_to(back)
    ops.end_post(post, form.end_date.data)
    flash(_("The term ends on %(date)s.", date=fmt_date(post.end_date)), "success")
    return redirect(back)
