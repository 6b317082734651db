"""Marshmallow schemas of the API: they validate input and generate the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from tracker.api.common import DateRangeArgs, Day, Id, Line, Moment, PageArgs, Text
from tracker.api.common import _WholeNumber as WholeNumber
from tracker.attendance.models import AttendanceStatus
from tracker.circulars.models import AnswerKind, RecipientState
from tracker.directory.models import Channel, DistrictKind, UnitLevel
from tracker.i18n import _l
from tracker.meetings.models import InvitationKind, MeetingPurpose, MeetingStatus, SessionKind, SessionStatus
from tracker.reports.models import ReportStatus
from tracker.reports.operations import MAX_QUESTION
from tracker.reviews.models import ItemStatus, NoteStatus

NAME_MAX = 60  # names are transliterated into the other script, which may be longer; columns hold 200
LOCALES = ("hi", "en")
# An Indian mobile number, 10 digits from 6 (each such number is valid), with +91 or not, e.g.
# "98765 43210" or "+919876543210"; stored in E.164.
MOBILE_PATTERN = r"^(\+91 ?)?[6-9][0-9]{4} ?[0-9]{5}$"
# An address the directory's check (email_validator) accepts: ASCII, not a special-use domain.
EMAIL_PATTERN = (r"^[A-Za-z0-9_%+-]{1,30}(\.[A-Za-z0-9_%+-]{1,15}){0,2}@([A-Za-z0-9]([A-Za-z0-9-]{0,28}[A-Za-z0-9])?\.){1,4}"
                 r"(?!(arpa|invalid|local|localhost|onion|test)$)[a-z]{2,24}$")
CODE_PATTERN = "^[a-z0-9][a-z0-9_-]*$"  # a unit's code, as the directory's rule (tracker/directory/operations.py)
# What each pattern wants, in the request's language (a refusal answers with it).
MOBILE_ERROR = _l("Enter a mobile number of 10 digits, e.g. 98765 43210, or the number with +91.")
EMAIL_ERROR = _l("Enter a valid email address.")
CLIENT_KEY_PATTERN = "^[A-Za-z0-9._:-]+$"  # a phone's key for a report it sends (a UUID, a counter …)
CLIENT_KEY_ERROR = _l("Use only Latin letters, digits and . _ : -")
CODE_ERROR = _l("Use only small Latin letters, digits, - and _, beginning with a letter or a digit.")


def Enum(enum_cls, **kw) -> fields.Enum:  # noqa: N802
    return fields.Enum(enum_cls, by_value=True, **kw)


class Timestamps(ma.Schema):
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


# --- directory -----------------------------------------------------------------------------------


class UnitSchema(Timestamps):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    level = Enum(UnitLevel, required=True)
    district_kind = Enum(DistrictKind, allow_none=True, required=True)
    name_hi = fields.String(required=True)
    name_en = fields.String(required=True)
    parent_id = fields.Integer(allow_none=True, required=True)
    is_archived = fields.Boolean(required=True)


class UnitCreateSchema(ma.Schema):
    code = Line(64, pattern=CODE_PATTERN, pattern_error=CODE_ERROR, required=True,
                metadata={"description": "Small Latin letters, digits, - and _."})
    level = Enum(UnitLevel, required=True)
    parent_id = Id(allow_none=True, metadata={"description": "Required except for a state."})
    name_hi = Line(NAME_MAX, metadata={"description": "Either name may be left out: it is transliterated."})
    name_en = Line(NAME_MAX)
    district_kind = Enum(DistrictKind, allow_none=True)


class UnitUpdateSchema(ma.Schema):
    code = Line(64, pattern=CODE_PATTERN, pattern_error=CODE_ERROR)
    parent_id = Id(allow_none=True)
    name_hi = Line(NAME_MAX)
    name_en = Line(NAME_MAX)
    district_kind = Enum(DistrictKind, allow_none=True)


class UnitListArgs(PageArgs):
    level = Enum(UnitLevel)
    parent_id = Id(strict=False)
    include_archived = fields.Boolean(load_default=False)
    q = Line(100, metadata={"description": "Part of the code or of either name."})


class PersonSchema(Timestamps):
    id = fields.Integer(required=True)
    name_hi = fields.String(required=True)
    name_en = fields.String(required=True)
    mobile = fields.String(allow_none=True, required=True)
    email = fields.String(allow_none=True, required=True)
    preferred_locale = fields.String(required=True)
    preferred_channel = Enum(Channel, required=True)
    note = fields.String(required=True)
    is_archived = fields.Boolean(required=True)


class PersonWriteSchema(ma.Schema):
    name_hi = Line(NAME_MAX)
    name_en = Line(NAME_MAX)
    mobile = Line(20, pattern=MOBILE_PATTERN, pattern_error=MOBILE_ERROR, allow_none=True,
                  metadata={"description": "Indian mobile number, e.g. 98765 43210; stored in E.164. null: none."})
    email = Line(254, pattern=EMAIL_PATTERN, pattern_error=EMAIL_ERROR, allow_none=True,
                 metadata={"description": "null: none."})
    preferred_locale = fields.String(validate=validate.OneOf(LOCALES))
    preferred_channel = Enum(Channel)
    note = Text(2000)


class PersonCreateSchema(PersonWriteSchema):
    """A new person: a name in either script, and the contact detail the preferred channel needs."""


class PersonListArgs(PageArgs):
    unit_id = Id(strict=False, metadata={"description": "People holding a current post at this unit."})
    include_archived = fields.Boolean(load_default=False)
    q = Line(100, metadata={"description": "Part of either name or of the mobile number."})


class PostSchema(Timestamps):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    unit_id = fields.Integer(required=True)
    role_code = fields.Function(lambda post: post.role.code, required=True)
    role_title_hi = fields.Function(lambda post: post.role.title_hi, required=True)
    role_title_en = fields.Function(lambda post: post.role.title_en, required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, required=True)
    note = fields.String(required=True)


class PostCreateSchema(ma.Schema):
    person_id = Id(required=True)
    unit_id = Id(required=True)
    role_code = Line(64, required=True)
    start_date = Day(required=True)
    end_date = Day(allow_none=True)
    note = Text(2000)


class PostUpdateSchema(ma.Schema):
    start_date = Day()
    end_date = Day(allow_none=True)
    note = Text(2000)


class PostListArgs(PageArgs):
    unit_id = Id(strict=False)
    person_id = Id(strict=False)
    role_code = Line(64)
    current_on = Day(metadata={"description": "Only posts held on this date."})


# --- meetings ------------------------------------------------------------------------------------


class MeetingSchema(Timestamps):
    id = fields.Integer(required=True)
    title_hi = fields.String(required=True)
    title_en = fields.String(required=True)
    purpose = Enum(MeetingPurpose, required=True)
    status = Enum(MeetingStatus, required=True)
    campaign_id = fields.Integer(allow_none=True, required=True)
    host_unit_id = fields.Integer(allow_none=True, required=True)
    venue = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    description = fields.String(required=True)
    published_at = fields.DateTime(allow_none=True, required=True)


class PdfPageArgs(ma.Schema):
    page = fields.String(load_default="a4", validate=validate.OneOf(["a4", "phone"]),
                         metadata={"description": "a4 (the default), or phone: a narrow page (90 x 160 mm) "
                                                  "that reads on a phone without zooming."})


class MeetingListArgs(DateRangeArgs):
    status = Enum(MeetingStatus)
    unit_id = Id(strict=False, metadata={"description": "Meetings hosted by this unit."})


class AgendaItemSchema(Timestamps):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    title_hi = fields.String(required=True)
    title_en = fields.String(required=True)
    presenter_person_id = fields.Integer(allow_none=True, required=True)
    minutes = fields.Integer(allow_none=True, required=True)


class InvitationSchema(Timestamps):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    person_name_hi = fields.Function(lambda inv: inv.person.name_hi, required=True)
    person_name_en = fields.Function(lambda inv: inv.person.name_en, required=True)
    kind = Enum(InvitationKind, required=True)
    unit_id = fields.Integer(allow_none=True, required=True)


class SessionSchema(Timestamps):
    id = fields.Integer(required=True)
    meeting_id = fields.Integer(required=True)
    kind = Enum(SessionKind, required=True)
    status = Enum(SessionStatus, required=True)
    title_hi = fields.String(required=True)
    title_en = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    room = fields.String(required=True)
    chair_person_id = fields.Integer(allow_none=True, required=True)
    district_unit_id = fields.Integer(allow_none=True, required=True)
    covered_unit_ids = fields.Function(lambda s: [u.id for u in s.covered_units],
                                       metadata={"type": "array", "items": {"type": "integer"}}, required=True)
    what_to_bring_hi = fields.String(required=True)
    what_to_bring_en = fields.String(required=True)
    attendance_locked_at = fields.DateTime(allow_none=True, required=True)


class SessionDetailSchema(SessionSchema):
    agenda_items = fields.List(fields.Nested(AgendaItemSchema), required=True)
    invitations = fields.List(fields.Nested(InvitationSchema), required=True)


class SessionListArgs(DateRangeArgs):
    meeting_id = Id(strict=False)
    unit_id = Id(strict=False, metadata={"description": "Sessions covering this unit (or reviewing this district)."})
    kind = Enum(SessionKind)


class AgendaEntrySchema(ma.Schema):
    invitation_id = fields.Integer(required=True)
    invitation_kind = Enum(InvitationKind, required=True)
    meeting = fields.Nested(MeetingSchema, required=True)
    session = fields.Nested(SessionDetailSchema, required=True)
    companions = fields.List(fields.Nested(InvitationSchema), required=True,
                             metadata={"description": "Who else comes: for a one-to-one everyone, else the "
                                                      "chair, the dais and people from the same division."})


class AgendaSchema(ma.Schema):
    person_id = fields.Integer(allow_none=True, required=True)
    items = fields.List(fields.Nested(AgendaEntrySchema), required=True)


class MeSchema(ma.Schema):
    username = fields.String(required=True)
    role = fields.String(required=True)
    person = fields.Nested(PersonSchema, allow_none=True, required=True)


# --- attendance ----------------------------------------------------------------------------------


class AttendanceSchema(ma.Schema):
    id = fields.Integer(required=True)
    session_id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    status = Enum(AttendanceStatus, required=True)
    late_at = fields.DateTime(allow_none=True, required=True)
    represented_by_person_id = fields.Integer(allow_none=True, required=True)
    represented_by_name = fields.String(required=True)
    note = fields.String(required=True)
    is_walk_in = fields.Boolean(required=True)
    version = fields.Integer(required=True)
    updated_at = fields.DateTime(attribute="marked_at", required=True,
                                 metadata={"description": "When the record was last marked."})


class MarkSchema(ma.Schema):
    status = Enum(AttendanceStatus, required=True)
    late_at = Moment(allow_none=True, metadata={"description": "Arrival time, for late."})
    represented_by_person_id = Id(allow_none=True)
    represented_by_name = Line(200)
    note = Text(2000)


class AttendanceListArgs(DateRangeArgs):
    session_id = Id(strict=False)
    person_id = Id(strict=False)
    unit_id = Id(strict=False, metadata={"description": "People invited for this unit (district)."})
    status = Enum(AttendanceStatus)


# --- reviews -------------------------------------------------------------------------------------


class ReviewNoteSummarySchema(Timestamps):
    """What may be known of a note without reading it: that a review happened."""

    id = fields.Integer(required=True)
    session_id = fields.Integer(allow_none=True, required=True)
    district_unit_id = fields.Integer(required=True)
    president_person_id = fields.Integer(allow_none=True, required=True)
    campaign_id = fields.Integer(allow_none=True, required=True)
    reviewed_on = fields.Date(required=True)
    status = Enum(NoteStatus, required=True)
    reviewer_person_ids = fields.Function(lambda n: sorted(n.reviewer_person_ids()), required=True,
                                          metadata={"type": "array", "items": {"type": "integer"}})


class ReviewNoteSchema(ReviewNoteSummarySchema):
    answers = fields.Dict(keys=fields.String(), required=True)
    challenges = fields.String(required=True)
    strategy = fields.String(required=True)
    decisions = fields.String(required=True)
    readiness = fields.Integer(allow_none=True, required=True)
    private_remark = fields.String(required=True)
    version = fields.Integer(required=True)
    signed_off_at = fields.DateTime(allow_none=True, required=True)
    category_ids = fields.Function(lambda n: [c.id for c in n.categories], required=True,
                                   metadata={"type": "array", "items": {"type": "integer"}})


class ReviewListArgs(DateRangeArgs):
    unit_id = Id(strict=False, metadata={"description": "The reviewed district, or a division above it."})
    status = Enum(NoteStatus)


class ActionItemSchema(Timestamps):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    owner_person_id = fields.Integer(required=True)
    due_on = fields.Date(allow_none=True, required=True)
    status = Enum(ItemStatus, required=True)
    review_note_id = fields.Integer(allow_none=True, required=True)
    district_unit_id = fields.Integer(allow_none=True, required=True)
    campaign_id = fields.Integer(allow_none=True, required=True)


class ActionItemUpdateSchema(ma.Schema):
    status = Enum(ItemStatus)
    progress_note = Text(2000, metadata={"description": "A progress note, kept in the item's log."})


class ActionItemListArgs(DateRangeArgs):
    unit_id = Id(strict=False)
    owner_person_id = Id(strict=False)
    status = Enum(ItemStatus)
    overdue = fields.Boolean(metadata={"description": "Only open items past their due date."})


# --- rules between fields, stated in the document ------------------------------------------------
# The operations enforce them (tracker/directory, tracker/attendance); these JSON Schema keywords
# state them, merged into the named component schemas by tracker/api/__init__.py.

NOT_BLANK = "\\S"  # holds something besides white space (names are stripped)


def _given(name: str, schema: dict | None = None) -> dict:
    """The object has ``name``, not null (and matching ``schema``)."""
    return {"required": [name], "properties": {name: {"not": {"type": "null"}, **(schema or {})}}}


def _when(field: str, values: list, then: dict) -> dict:
    return {"if": {"required": [field], "properties": {field: {"enum": values}}}, "then": then}


A_NAME = {"anyOf": [_given("name_hi", {"pattern": NOT_BLANK}), _given("name_en", {"pattern": NOT_BLANK})]}

SCHEMA_RULES: dict[str, dict] = {
    "UnitCreate": {"allOf": [
        A_NAME,
        {"if": {"properties": {"level": {"const": "state"}}},
         "then": {"properties": {"parent_id": {"type": "null"}}},
         "else": _given("parent_id")},
    ]},
    "PersonCreate": {"allOf": [
        A_NAME,
        _when("preferred_channel", ["email"], _given("email", {"pattern": NOT_BLANK})),
        _when("preferred_channel", ["sms", "whatsapp"], _given("mobile", {"pattern": NOT_BLANK})),
    ]},
    "Mark": {"allOf": [
        _when("status", ["late"], _given("late_at")),
        _when("status", ["represented"], {"anyOf": [
            _given("represented_by_person_id"), _given("represented_by_name", {"pattern": NOT_BLANK})]}),
    ]},
}


# --- circulars -----------------------------------------------------------------------------------


class MyCircularSchema(ma.Schema):
    """A circular sent to the district the token's user presides over, and where the district stands."""

    id = fields.Integer(required=True, metadata={"description": "The circular's id."})
    title = fields.String(required=True)
    body = fields.String(required=True)
    answer_kind = Enum(AnswerKind, required=True)
    due_on = fields.Date(required=True)
    overdue = fields.Boolean(required=True, metadata={"description": "Past its due date and not done."})
    district_unit_id = fields.Integer(required=True)
    state = Enum(RecipientState, required=True)
    read_at = fields.AwareDateTime(allow_none=True, required=True)
    acknowledged_at = fields.AwareDateTime(allow_none=True, required=True)
    answered_at = fields.AwareDateTime(allow_none=True, required=True)
    answer_text = fields.String(required=True)
    answer_number = fields.Integer(allow_none=True, required=True)


class MyCircularsSchema(ma.Schema):
    items = fields.List(fields.Nested(MyCircularSchema), required=True)


class CircularAcknowledgeSchema(ma.Schema):
    note = Text(2000, metadata={"description": "For a programme report or a file: a short note."})


class CircularAnswerSchema(ma.Schema):
    text = Text(5000, metadata={"description": "The answer to a circular that asks for a text."})
    report_id = Id(metadata={"description": "The answer to a circular that asks for a programme report: a report "
                                            "of the district."})
    number = WholeNumber(strict=True, validate=validate.Range(min=0, max=10**11),
                            metadata={"description": "The answer to a circular that asks for a number."})


# --- programme reports ---------------------------------------------------------------------------


class ReportSummarySchema(Timestamps):
    id = fields.Integer(required=True)
    district_unit_id = fields.Integer(required=True)
    kind_id = fields.Integer(required=True)
    held_on = fields.Date(required=True)
    place = fields.String(required=True)
    participants = fields.Integer(required=True)
    status = Enum(ReportStatus, required=True)


class ReportFileSchema(ma.Schema):
    key = fields.String(required=True, metadata={"description": "The file's unguessable key."})
    kind = fields.String(required=True, metadata={"description": "photo or video"})
    content_type = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "Where the file is served (to whoever may read "
                                                                "the report)."})


class ReportSchema(ReportSummarySchema):
    account = fields.String(required=True)
    links = fields.Function(lambda r: [line for line in r.links.splitlines() if line.strip()], required=True,
                            metadata={"type": "array", "items": {"type": "string"}})
    question = fields.String(required=True, metadata={"description": "A question the office asked back."})
    unit_ids = fields.Function(lambda r: [u.id for u in r.units], required=True,
                               metadata={"type": "array", "items": {"type": "integer"}})
    files = fields.List(fields.Nested(ReportFileSchema), attribute="api_files", required=True)


class ReportReviewSchema(ma.Schema):
    question = Text(MAX_QUESTION, metadata={"description": "A question back to the district; without it the "
                                                          "report is marked verified."})


class ReportCreateForm(ma.Schema):
    """A new programme report as the form sends it (``multipart/form-data``; its photos and videos in ``files``).
    The same rules as the page's form: a president writes for their own district, the office for any; the
    blocks must be of the district; each file is checked like every upload."""

    district_unit_id = Id(strict=False, required=True, metadata={"description": "The district (a president's own)."})
    kind_id = Id(strict=False, required=True, metadata={"description": "One of the kinds the office keeps."})
    held_on = Day(required=True)
    place = Text(200, required=True, metadata={"minLength": 1})
    participants = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000_000))
    account = Text(5000)
    links = Text(5000, metadata={"description": "News or social media links, one a line (http/https)."})
    unit_ids = fields.List(Id(strict=False), metadata={"description": "Blocks of the district covered."})
    client_key = Line(64, pattern=CLIENT_KEY_PATTERN, pattern_error=CLIENT_KEY_ERROR, metadata={
        "description": "The phone's key for this report: sent again with the same key, the report recorded the "
                       "first time is answered (200) and nothing is added."})
    # The files come as file parts of the same multipart body (read from request.files by the view).
    files = fields.List(Upload(), load_only=True, metadata={
        "description": "Photos (JPEG, PNG, WebP) and short videos (MP4, WebM), each a file part named files."})


class CircularFileForm(ma.Schema):
    file = Upload(required=True, metadata={"description": "A photo or a short video (checked like every upload)."})


class ReportListArgs(DateRangeArgs):
    unit_id = Id(strict=False, metadata={"description": "The district, or a division above it."})
    kind_id = Id(strict=False)
    status = Enum(ReportStatus)
