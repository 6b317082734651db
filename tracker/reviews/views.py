"""Pages of reviews, action items, campaign progress and the office's checklist editors.

Confidentiality: every page about one note answers 404 to anyone the policy does not let read (or
write) that note, so that ids cannot be probed; role-gated pages (lists, editors) answer 403.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import policy
from tracker.audit.queries import history
from tracker.auth.models import User
from tracker.campaigns import queries as campaign_queries
from tracker.campaigns.models import Campaign
from tracker.core import exports
from tracker.core.form_views import form_page
from tracker.core.pagination import page_of_list, paginate, requested_page
from tracker.core.transaction import refusals_go_to, refusals_shown
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, current_locale, fmt_time, localized, ngettext
from tracker.meetings.models import MeetingSession
from tracker.reviews import operations as ops
from tracker.reviews import queries as q
from tracker.reviews.diffs import diff_snapshots, section_texts
from tracker.reviews.forms import (
    ActionItemForm,
    CategoryForm,
    ChecklistItemForm,
    ItemUpdateForm,
    NoteForm,
    NoteItemsForm,
    StandaloneNoteForm,
    choices,
)
from tracker.reviews.models import (
    ChallengeCategory,
    ChecklistItem,
    ItemStatus,
    ReviewNote,
)
from tracker.timeutil import now_utc, to_local, today_local

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

PER_PAGE = 50
PROGRESS_PER_PAGE = 100


def _int_arg(name: str) -> int | None:
    return request.args.get(name, type=int) or None


# --- the list of reviews ---------------------------------------------------------------------------


@bp.route("/")
@login_required
def index():
    policy.require(current_user, "review.list")
    filters = q.NoteFilters(_int_arg("campaign"), _int_arg("division"), request.args.get("status"),
                            request.args.get("q", "")[:100])
    page = paginate(q.notes_query(current_user, filters), requested_page(), PER_PAGE).linked(
        "reviews.index", **request.args.to_dict())
    slots = q.reviewer_slots(current_user.person_id) if current_user.person_id else []
    return render_template(
        "reviews/index.html", page=page, filters=filters, slots=slots,
        campaigns=campaign_queries.campaigns(), divisions=q.divisions(),
    )


@bp.route("/export.csv")
@login_required
def export_list():
    """Which reviews happened: district, date, reviewers, status; never any content."""
    policy.require(current_user, "review.list")
    filters = q.NoteFilters(_int_arg("campaign"), _int_arg("division"), request.args.get("status"))
    notes = db.session.scalars(q.notes_query(current_user, filters)).all()
    rows = [[_("District code"), _("District"), _("Date of the review"), _("Reviewers"), _("Status")]]
    rows += [
        [n.district.code, localized(n.district), n.reviewed_on.isoformat(),
         "; ".join(localized(p) for p in n.reviewers), n.status.title]
        for n in notes
    ]
    return _csv_response(rows, "reviews.csv")


def _csv_response(rows: list[list], filename: str) -> Response:
    return exports.download(exports.csv_bytes(rows), exports.CSV, filename)


# --- starting a note -------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/note", methods=["POST"])
@login_required
def start_for_session(session_id: int):
    """Open (or create) the note of a one-to-one slot: its reviewers, the org/state in-charges, admins."""
    session = db.session.get(MeetingSession, session_id)
    if session is None or not policy.can(current_user, "review.open_slot", session):
        abort(404)
    refusals_go_to(url_for("reviews.index"))
    note = ops.start_note_for_session(session, current_user)
    if policy.can(current_user, "review.write", note):
        return redirect(url_for("reviews.edit", note_id=note.id))
    return redirect(url_for("reviews.note", note_id=note.id))


@bp.route("/notes/new", methods=["GET", "POST"])
@login_required
def new_note():
    """A standalone review of a district on a date (no meeting slot)."""
    policy.require(current_user, "review.write")
    form = StandaloneNoteForm()
    form.district_id.choices = choices(
        [(d.id, localized(d)) for d in q.districts()]
    )
    form.campaign_id.choices = choices([(0, _("No campaign"))] + [(c.id, localized(c)) for c in campaign_queries.campaigns()])
    if request.method == "GET":
        form.reviewed_on.data = today_local()
        active = campaign_queries.active_campaign()
        form.campaign_id.data = active.id if active else 0
    if form.validate_on_submit():
        district = db.session.get(Unit, form.district_id.data)
        campaign = db.session.get(Campaign, form.campaign_id.data) if form.campaign_id.data else None
        with refusals_shown(on=form, field=form.district_id):
            note = ops.start_standalone_note(current_user, district, form.reviewed_on.data, campaign, [])
            return redirect(url_for("reviews.edit", note_id=note.id))
    return render_template("reviews/new_note.html", form=form)


# --- reading and writing a note --------------------------------------------------------------------

@bp.route("/notes/<int:note_id>")
@login_required
def note(note_id: int):
    note = q.note_or_404(note_id, current_user)
    items = q.checklist_items(note.campaign_id, include_archived=True)
    return render_template(
        "reviews/note.html", note=note, checklist=_checklist_rows(items, note.answers), today=today_local(),
        history_entries=history("review_notes", note.id),
    )


def _checklist_rows(items: list[ChecklistItem], answers: dict) -> list[tuple[ChecklistItem, object]]:
    """(item, answer) for the active items, and archived ones only where the note answered them."""
    return [(item, answers.get(str(item.id))) for item in items
            if not item.is_archived or str(item.id) in answers]


def _content_from_request(note: ReviewNote) -> tuple[NoteForm, ops.NoteContent | None, dict[int, str]]:
    form = NoteForm()
    items = q.checklist_items(note.campaign_id)
    answers, errors = ops.parse_answers(items, request.form)
    if not form.validate() or errors:
        return form, None, errors
    category_ids = [int(v) for v in request.form.getlist("category") if v.isdigit()]
    content = ops.NoteContent(
        answers=answers, challenges=form.challenges.data or "", strategy=form.strategy.data or "",
        decisions=form.decisions.data or "", readiness=int(form.readiness.data) if form.readiness.data else None,
        private_remark=form.private_remark.data or "", category_ids=category_ids,
    )
    return form, content, errors


def _render_edit(note: ReviewNote, form: NoteForm, answers: dict, errors: dict[int, str],
                 selected: set[int], items_form: NoteItemsForm, status: int = 200):
    items = q.checklist_items(note.campaign_id)
    return render_template(
        "reviews/edit.html", note=note, form=form, checklist=[(item, answers.get(str(item.id))) for item in items],
        errors=errors, categories=q.categories(), selected_categories=selected, items_form=items_form,
        may_add_items=policy.can(current_user, "action_item.create", note),
    ), status


def _note_owner_choices(note: ReviewNote) -> list[tuple[int, str]]:
    """Who may own an item written on the note: the district's president and office-bearers, the reviewers."""
    people = {p.id: p for p in q.district_people(note.district_unit_id)}
    people.update({p.id: p for p in note.reviewers})
    if note.president is not None:
        people[note.president.id] = note.president
    return sorted(((pid, localized(p)) for pid, p in people.items()), key=lambda pair: pair[1])


def _items_form(note: ReviewNote) -> NoteItemsForm:
    form = NoteItemsForm()
    form.set_owners(_note_owner_choices(note), note.president_person_id)
    return form


def _item_rows(form: NoteItemsForm) -> list[ops.ItemData]:
    """The filled rows as operation data (owners read in one query)."""
    rows = form.filled_rows()
    owner_ids = {row.owner_id.data for row in rows}
    owners = {p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(owner_ids)))} if rows else {}
    return [ops.ItemData(row.title.data or "", owners.get(row.owner_id.data), row.due_on.data) for row in rows]


def _save_note(note: ReviewNote, sign: bool):
    """Save draft / new version / sign off, with the action items typed on the form (one transaction).

    Anything invalid (an answer, a section, an item row) shows the whole form again as typed,
    with the message next to the field, and nothing is saved.
    """
    form, content, errors = _content_from_request(note)
    items_form = _items_form(note)
    items_ok = items_form.validate()
    if content is None or not items_ok:
        flash(_("Please correct the marked answers.") if content is None
              else _("Please correct the marked action items: nothing was saved yet."), "error")
        return _render_edit(note, form, request.form, errors, _posted_categories(), items_form, 422)
    rows = _item_rows(items_form)
    if rows:
        policy.require(current_user, "action_item.create", note)
    refusals_go_to(url_for("reviews.note", note_id=note.id) if sign  # e.g. signed off meanwhile
                   else lambda exc: _refused_edit(exc, note, form, items_form))
    if sign:
        ops.sign_off(note, current_user, content)
        message = _("The note is signed off. Later changes are kept as new versions.")
    elif note.is_signed_off:
        changed = ops.revise(note, current_user, content)
        message = (_("Saved as version %(n)s.", n=note.version) if changed
                   else _("Nothing was changed.") if not rows else "")
    else:
        ops.save_draft(note, content)
        message = _("The draft is saved.")
    added = ops.add_note_items(note, rows, current_user)
    if added:
        message = " ".join(filter(None, [message, ngettext(
            "%(num)d action item added.", "%(num)d action items added.", len(added))]))
    flash(message, "success")
    return redirect(url_for("reviews.note", note_id=note.id) + ("#action-items" if added else ""))


def _refused_edit(exc: ops.ReviewError, note: ReviewNote, form: NoteForm, items_form: NoteItemsForm):
    """The form again, as typed, with why it was not saved."""
    flash(exc.message, "error")
    return _render_edit(note, form, request.form, {}, _posted_categories(), items_form, 422)


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
@login_required
def edit(note_id: int):
    note = q.note_or_404(note_id, current_user, "review.write")
    if request.method == "GET":
        form = NoteForm(obj=note)
        form.readiness.data = str(note.readiness) if note.readiness else ""
        return _render_edit(note, form, note.answers, {}, {c.id for c in note.categories}, _items_form(note))
    return _save_note(note, sign=False)


def _posted_categories() -> set[int]:
    return {int(v) for v in request.form.getlist("category") if v.isdigit()}


@bp.route("/notes/<int:note_id>/autosave", methods=["POST"])
@login_required
def autosave(note_id: int):
    """htmx: save the draft as it is typed. Answers a short status text (or an error status)."""
    note = q.note_or_404(note_id, current_user, "review.write")
    if note.is_signed_off:
        return _("This note is signed off; save your changes as a new version."), 409
    _form, content, _errors = _content_from_request(note)
    if content is None:
        return _("Not saved: please correct the marked answers."), 422
    ops.save_draft(note, content)
    db.session.flush()  # the stamp the page compares with must be the one the commit will write
    text = _("Draft saved at %(time)s", time=fmt_time(to_local(now_utc())))
    return text, 200, {"X-Autosave-Base": note.updated_at.isoformat()}


@bp.route("/notes/<int:note_id>/sign-off", methods=["POST"])
@login_required
def sign_off(note_id: int):
    note = q.note_or_404(note_id, current_user, "review.write")
    return _save_note(note, sign=True)


# --- versions --------------------------------------------------------------------------------------


@bp.route("/notes/<int:note_id>/versions")
@login_required
def versions(note_id: int):
    note = q.note_or_404(note_id, current_user)
    return render_template("reviews/versions.html", note=note)


def _version(note: ReviewNote, number: int):
    version = next((v for v in note.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.route("/notes/<int:note_id>/versions/<int:number>")
@login_required
def version(note_id: int, number: int):
    note = q.note_or_404(note_id, current_user)
    version = _version(note, number)
    return render_template("reviews/version.html", note=note, version=version,
                           sections=section_texts(version.snapshot))


@bp.route("/notes/<int:note_id>/diff")
@login_required
def diff(note_id: int):
    note = q.note_or_404(note_id, current_user)
    newest = note.version
    new_number = request.args.get("to", type=int) or newest
    old_number = request.args.get("from", type=int) or max(new_number - 1, 1)
    old, new = _version(note, old_number), _version(note, new_number)
    return render_template("reviews/diff.html", note=note, old=old, new=new,
                           sections=diff_snapshots(old.snapshot, new.snapshot))


# --- action items ----------------------------------------------------------------------------------


def _owner_choices(note: ReviewNote | None, district_id: int | None) -> list[tuple[int, str]]:
    people: dict[int, Person] = {}
    if note is not None:
        if note.president is not None:
            people[note.president.id] = note.president
        people.update({p.id: p for p in note.reviewers})
    presidents = q.current_presidents([district_id] if district_id else None)
    people.update({p.id: p for p in presidents.values()})
    staff_people = db.session.scalars(
        sa.select(Person).join(User, User.person_id == Person.id)
        .where(policy.action_item_owner_logins_clause())
    )
    people.update({p.id: p for p in staff_people})
    return sorted(((pid, localized(p)) for pid, p in people.items()), key=lambda pair: pair[1])


@bp.route("/items/new", methods=["GET", "POST"])
@login_required
def new_item():
    note_id = request.args.get("note", type=int)
    note = q.note_or_404(note_id, current_user, "action_item.create") if note_id else None
    policy.require(current_user, "action_item.create", note)
    form = ActionItemForm()
    district_id = note.district_unit_id if note else request.args.get("district", type=int)
    form.owner_id.choices = choices(_owner_choices(note, district_id))
    if note is not None:  # district and campaign come from the note
        del form.district_id
        del form.campaign_id
    else:
        form.district_id.choices = choices([(0, _("No district"))] + [(d.id, localized(d)) for d in q.districts()])
        form.campaign_id.choices = choices([(0, _("No campaign"))] + [(c.id, localized(c)) for c in campaign_queries.campaigns()])
    if request.method == "GET":
        _prefill_item_form(form, note, district_id)
    if form.validate_on_submit():
        owner = db.session.get(Person, form.owner_id.data)
        data = ops.ItemData(form.title.data, owner, form.due_on.data)
        if note is None:
            data.district_unit_id = form.district_id.data or None
            data.campaign_id = form.campaign_id.data or None
        item = ops.create_action_item(data, current_user, note)
        flash(_("The action item is added."), "success")
        if note is not None:
            return redirect(url_for("reviews.note", note_id=note.id) + "#action-items")
        return redirect(url_for("reviews.item", item_id=item.id))
    return render_template("reviews/new_item.html", form=form, note=note)


def _prefill_item_form(form: ActionItemForm, note: ReviewNote | None, district_id: int | None) -> None:
    if note is not None:
        form.owner_id.data = note.president_person_id
        return
    if district_id:
        president = q.current_presidents([district_id]).get(district_id)
        form.owner_id.data = president.id if president else None
    form.district_id.data = district_id or 0
    active = campaign_queries.active_campaign()
    form.campaign_id.data = active.id if active else 0


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item(item_id: int):
    item = q.item_or_404(item_id, current_user)
    form = ItemUpdateForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.status.data = item.status.value
    may_update = policy.can(current_user, "action_item.update", item)
    if request.method == "POST":
        if not may_update:
            abort(404)
        if form.validate():
            ops.update_action_item(item, current_user, ItemStatus(form.status.data), form.text.data or "",
                                   form.due_on.data, change_due=True)
            flash(_("The action item is updated."), "success")
            return redirect(url_for("reviews.item", item_id=item.id))
    note_readable = item.review_note is not None and policy.can(current_user, "review.read", item.review_note)
    return render_template("reviews/item.html", item=item, form=form, may_update=may_update,
                           note_readable=note_readable, today=today_local())


@bp.route("/items/mine")
@login_required
def my_items():
    policy.require(current_user, "action_items.mine")
    show_closed = request.args.get("all") == "1"
    items = q.my_items(current_user.person_id, include_closed=show_closed)
    return render_template("reviews/my_items.html", items=items, show_closed=show_closed, today=today_local())


@bp.route("/items/overdue")
@login_required
def overdue():
    policy.require(current_user, "action_items.overdue")
    page = paginate(q.overdue_items_query(today_local()), requested_page(), PER_PAGE).linked("reviews.overdue")
    return render_template("reviews/overdue.html", page=page, today=today_local())


def _district_or_404(unit_id: int) -> Unit:
    """A district the user may know of (another district answers to its president as a missing one: issue 17)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.level != UnitLevel.DISTRICT:
        abort(404)
    policy.require(current_user, "unit.view", unit, hidden=True)
    return unit


@bp.route("/districts/<int:unit_id>/items")
@login_required
def district_items(unit_id: int):
    """The district's open action items, as far as the user may see them."""
    unit = _district_or_404(unit_id)
    return render_template("reviews/district_items.html", unit=unit,
                           district_items=q.district_open_items(unit.id, current_user), today=today_local())


@bp.route("/districts/<int:unit_id>/history")
@login_required
def district_history(unit_id: int):
    """Printable review history of a district: only the notes the user may read (404 when none)."""
    unit = _district_or_404(unit_id)
    notes = q.district_notes(unit.id, current_user)
    if not notes and not policy.can(current_user, "review.read_all"):
        abort(404)
    checklists = {}
    for each in notes:
        if each.campaign_id not in checklists:
            checklists[each.campaign_id] = q.checklist_items(each.campaign_id, include_archived=True)
    return render_template(
        "reviews/district_history.html", unit=unit, notes=notes,
        checklists={n.id: _checklist_rows(checklists[n.campaign_id], n.answers) for n in notes},
    )


# --- campaign progress -----------------------------------------------------------------------------


@bp.route("/progress")
@login_required
def progress_default():
    policy.require(current_user, "campaign.progress")
    campaign = campaign_queries.active_campaign()
    if campaign is None:
        return render_template("reviews/progress.html", campaign=None)
    return redirect(url_for("reviews.progress", campaign_id=campaign.id))


def _state_id(states: list) -> int | None:
    """The state whose districts the progress table shows: asked for, or the first (a state office has one)."""
    asked = _int_arg("state")
    ids = [s.id for s in states]
    return asked if asked in ids else (ids[0] if ids else None)


@bp.route("/campaigns/<int:campaign_id>/progress")
@login_required
def progress(campaign_id: int):
    policy.require(current_user, "campaign.progress")
    campaign = db.get_or_404(Campaign, campaign_id)
    division_id = _int_arg("division")
    states = q.states()
    state_id = _state_id(states)
    sort, direction = request.args.get("sort", "division"), request.args.get("dir", "asc")
    rows = q.campaign_progress(campaign, division_id, state_id)
    chart = q.readiness_by_division(q.campaign_progress(campaign, state_id=state_id) if division_id else rows)
    show_all = request.args.get("all") == "1"
    page = page_of_list(q.sort_rows(rows, sort, direction), requested_page(),
                        len(rows) if show_all else PROGRESS_PER_PAGE)
    page.linked("reviews.progress", **{**request.args.to_dict(), "campaign_id": campaign.id})
    return render_template(
        "reviews/progress.html", campaign=campaign, page=page, show_all=show_all, chart=chart,
        campaigns=campaign_queries.campaigns(), divisions=q.divisions(state_id), states=states, state_id=state_id, sort=sort,
        direction=direction, division_id=division_id,
        sort_url=lambda key, dir: url_for("reviews.progress", campaign_id=campaign.id, division=division_id,
                                          state=state_id, sort=key, dir=dir),
        can_read_history=policy.can(current_user, "review.history"),
    )


@bp.route("/campaigns/<int:campaign_id>/progress.csv")
@login_required
def progress_csv(campaign_id: int):
    """The progress table as CSV: numbers only, never a note's words."""
    policy.require(current_user, "campaign.progress")
    campaign = db.get_or_404(Campaign, campaign_id)
    rows = q.sort_rows(q.campaign_progress(campaign, _int_arg("division"), _state_id(q.states())),
                       request.args.get("sort", "division"),
                       request.args.get("dir", "asc"))
    out = [[_("Division"), _("District code"), _("District"), _("Latest readiness (1–5)"),
            _("Checklist completion (%)"), _("Open action items"), _("Overdue action items"),
            _("Meeting attendance (%)")]]
    for r in rows:
        division = (r.division_name_hi or r.division_name_en) if current_locale() == "hi" else r.division_name_en
        out.append([division, r.district.code, localized(r.district), _blank(r.readiness), _blank(r.checklist_pct),
                    r.open_items, r.overdue_items, _blank(r.attendance_pct)])
    return _csv_response(out, f"progress-{campaign.code}.csv")


def _blank(value) -> object:
    return "" if value is None else value


# --- the office's editors --------------------------------------------------------------------------


def _template_part(model, ident: int):
    """A campaign (its checklist), a checklist question or a category of the review templates, for a
    user allowed to edit them; 404 when there is none."""
    policy.require(current_user, "review.templates")
    return db.get_or_404(model, ident)


@bp.route("/campaigns/<int:campaign_id>/checklist", methods=["GET", "POST"])
@login_required
def checklist(campaign_id: int):
    campaign = _template_part(Campaign, campaign_id)
    form = ChecklistItemForm()
    if form.validate_on_submit():
        ops.add_checklist_item(ops.template_for(campaign), form.label_hi.data, form.label_en.data, form.kind.data)
        flash(_("The question is added to the checklist."), "success")
        return redirect(url_for("reviews.checklist", campaign_id=campaign.id))
    return render_template("reviews/checklist.html", campaign=campaign, form=form,
                           items=q.checklist_items(campaign.id, include_archived=True), campaigns=campaign_queries.campaigns())


@bp.route("/campaigns/<int:campaign_id>/checklist/standard", methods=["POST"])
@login_required
def standard_checklist(campaign_id: int):
    """Start an empty checklist with the standard questions (then edit them)."""
    campaign = _template_part(Campaign, campaign_id)
    if not q.checklist_items(campaign.id, include_archived=True):
        ops.add_standard_checklist(ops.template_for(campaign))
        flash(_("The standard questions are added; edit them as needed."), "success")
    return redirect(url_for("reviews.checklist", campaign_id=campaign.id))


@bp.route("/checklist-items/<int:item_id>", methods=["GET", "POST"])
@login_required
def checklist_item(item_id: int):
    item = _template_part(ChecklistItem, item_id)
    form = ChecklistItemForm(obj=item)
    if request.method == "GET":
        form.kind.data = item.kind.value
    return form_page(form, "reviews/checklist_item.html", lambda: ops.update_checklist_item(
        item, form.label_hi.data, form.label_en.data, form.kind.data, form.is_archived.data),
        target=url_for("reviews.checklist", campaign_id=item.template.campaign_id),
        message=_("The question is saved."), item=item)


@bp.route("/checklist-items/<int:item_id>/move", methods=["POST"])
@login_required
def move_checklist_item(item_id: int):
    item = _template_part(ChecklistItem, item_id)
    ops.move_checklist_item(item, -1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("reviews.checklist", campaign_id=item.template.campaign_id))


@bp.route("/categories", methods=["GET", "POST"])
@login_required
def categories():
    policy.require(current_user, "review.templates")
    form = CategoryForm()
    if form.validate_on_submit():
        ops.save_category(None, form.name_hi.data, form.name_en.data)
        flash(_("The category is added."), "success")
        return redirect(url_for("reviews.categories"))
    return render_template("reviews/categories.html", form=form, categories=q.categories(include_archived=True))


@bp.route("/categories/standard", methods=["POST"])
@login_required
def standard_categories():
    policy.require(current_user, "review.templates")
    if not q.categories(include_archived=True):
        ops.add_standard_categories()
        flash(_("The standard categories are added; edit them as needed."), "success")
    return redirect(url_for("reviews.categories"))


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@login_required
def category(category_id: int):
    category = _template_part(ChallengeCategory, category_id)
    form = CategoryForm(obj=category)
    return form_page(form, "reviews/category.html",
                     lambda: ops.save_category(category, form.name_hi.data, form.name_en.data, form.is_archived.data),
                     target=url_for("reviews.categories"), message=_("The category is saved."), category=category)

