"""Issue 17, acceptance 5: schemathesis fuzzes every operation of the OpenAPI document, as an admin
and as a district president, with valid and with invalid data, under every check schemathesis
offers; there is no failure of any kind. The document states every rule the server enforces on a
request by itself (lengths, the text rule's characters, date ranges, codes, enums); the only rules
it cannot state are listed below in :data:`STATE_RULES`, each with its reason.

Each operation is driven through its Hypothesis strategy (``operation.as_strategy()``) rather than
``schema.parametrize()``: the lazy pytest integration of schemathesis 4 does not run on pytest 9.
"""

from __future__ import annotations

import contextvars
import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tracker.extensions import db

# A fuzzer: in `make test` (and CI), not in the quick lane (`make test-fast`).
pytestmark = pytest.mark.slow

# Per operation and mode; raise it for a deeper run: API_FUZZ_EXAMPLES=100 pytest tests/api/test_schemathesis.py
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))

# Rules JSON Schema cannot state: they compare a request with what is stored (the record it
# changes, the records it names). A schema-valid request that one of them refuses (with this English
# detail or field message, 412 or 422) is not a failure of positive_data_acceptance. Rules between
# fields of the request itself are stated in the document (tracker/api/schemas.py SCHEMA_RULES).
STALE = "The record changed after you read it."  # If-Match names another version: 412
NO_RECORD = "There is no record with this id."  # a body names a record that does not exist
PARENT = ("The parent unit does not exist.", "A unit of level", "is archived; choose an active parent.")
CODE_TAKEN = "is already used by"
STATE_RULES: dict[str, dict[str, str]] = {
    "POST /api/v1/units": {
        **dict.fromkeys(PARENT, "the parent must exist, be active and be of the level above the unit's"),
        CODE_TAKEN: "a code is unique among the stored units",
    },
    "PATCH /api/v1/units/{unit_id}": {
        **dict.fromkeys(PARENT, "the parent must exist, be active and be of the level above the unit's "
                                "(the stored unit's level)"),
        CODE_TAKEN: "a code is unique among the stored units",
        "A state has no parent unit.": "whether a parent is allowed depends on the stored unit's level",
        STALE: "If-Match names another version of the stored record",
    },
    "PATCH /api/v1/people/{person_id}": {
        "Messages by": "the preferred channel needs a contact detail, which may be the stored one",
        STALE: "If-Match names another version of the stored record",
    },
    "POST /api/v1/posts": {
        NO_RECORD: "the person and the unit must exist",
        "There is no post role with the code": "the role must be one of the stored roles",
        "is archived; restore": "the person and the unit must be active",
        "already holds the post": "terms of one post at one unit may not overlap the stored ones",
        "The end date cannot be before the start date.": "compares two dates (JSON Schema cannot)",
        "the new term must start after that": "terms of one post at one unit may not overlap the stored ones",
    },
    "PATCH /api/v1/posts/{post_id}": {
        "The end date cannot be before the start date.": "compares the dates with each other and the stored ones",
        "The term overlaps the term of": "terms of one post at one unit may not overlap the stored ones",
        STALE: "If-Match names another version of the stored record",
    },
    "PUT /api/v1/sessions/{session_id}/attendance/{person_id}": {
        NO_RECORD: "the representative must exist",
        "This person is not on the roster": "the person must be invited to the session",
        STALE: "If-Match names another version of the stored record",
    },
    "POST /api/v1/reports": {
        "You may not write a report for this district.": "the district must exist and be one the user may write for "
                                                         "(a president's own)",
        "Choose a district.": "the unit must be a stored district",
        "Choose a kind of programme.": "the kind must be one of the stored, active kinds",
        "The date of the programme cannot be in the future.": "compares the date with today",
        "Say where the programme was held.": "a place of spaces only is blank once trimmed",
        "Choose only blocks of the district.": "the blocks must be stored blocks of the stored district",
        "Each link must start with": "links are one a line, each an http(s) URL (a rule on lines)",
        "At most": "at most 10 links and 10 files",
        "A file was refused": "each file's content is checked (type, size, pixels, length), as for every upload",
    },
    "POST /api/v1/me/circulars/{circular_id}/answer": {
        "Choose a programme report of your district.": "the report must be a stored report of the user's district",
        "This circular asks for an acknowledgement only.": "what answer is expected is the stored circular's kind",
        "Enter a number.": "what answer is expected is the stored circular's kind",
        "Write your answer.": "what answer is expected is the stored circular's kind",
        "This number is too large.": "what answer is expected is the stored circular's kind",
    },
    "POST /api/v1/me/circulars/{circular_id}/answer-file": {
        "This circular does not ask for a file.": "what answer is expected is the stored circular's kind",
        "Choose the file to send.": "an empty file part",
        "A file was refused": "each file's content is checked (type, size, pixels, length), as for every upload",
    },
    "PATCH /api/v1/action-items/{item_id}": {
        STALE: "If-Match names another version of the stored record",
    },
}

load_all_checks()


def _refused_by_state_rule(case, response) -> bool:
    rules = STATE_RULES.get(case.operation.label, {})
    if response.status_code not in (412, 422) or not rules:
        return False
    problem = response.json()
    messages = [problem.get("detail", "")] + [m for ms in (problem.get("errors") or {}).values() for m in ms]
    return any(message.startswith(start) for message in messages for start in rules)


def positive_data_acceptance_but_state_rules(ctx, response, case):
    """schemathesis' positive_data_acceptance, except for a refusal by one of :data:`STATE_RULES`."""
    if _refused_by_state_rule(case, response):
        return None
    return positive_data_acceptance(ctx, response, case)


CHECKS_RUN = [check for check in CHECKS.get_all() if check is not positive_data_acceptance]
CHECKS_RUN.append(positive_data_acceptance_but_state_rules)


def _targets(world) -> dict[str, list[int]]:
    """The world's rows by path parameter (their ids, whatever earlier tests left the sequences at)."""
    return {"unit_id": [world.division.id, world.district_a.id, world.district_b.id],
            "person_id": [world.president_a.id, world.president_b.id], "meeting_id": [world.meeting.id],
            "session_id": [world.session.id], "note_id": [world.note_a.id, world.note_b.id],
            "item_id": [world.item_a.id, world.item_b.id]}


def _aim(name: str, value, targets: dict[str, list[int]]):
    """Aim most generated path ids at the world's rows, keep the others as generated."""
    if not isinstance(value, int) or not value % 4:
        return value
    ids = targets.get(name, [1, 2])
    return ids[value % len(ids)]


@pytest.fixture
def api_schema(app, world):
    def isolated_app(environ, start_response):
        """Each call in a context of its own, after committing the test's session (as `client` does)."""
        db.session.commit()
        try:
            return contextvars.Context().run(app, environ, start_response)
        finally:
            db.session.expire_all()

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated_app)


def _fuzz(schema, token: dict, targets: dict[str, list[int]]) -> tuple[list[str], Counter]:
    """Fuzz every operation; returns the failures and the (operation, status) counts."""
    # Responses are compressed when the client accepts it (tracker/assets.py); schemathesis's WSGI
    # transport announces gzip but does not decode, so ask for the body as it is. English problems,
    # for STATE_RULES.
    plain = {"Accept-Encoding": "identity", "Accept-Language": "en"}
    failures: list[str] = []
    seen: Counter = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                if case.path_parameters:
                    case.path_parameters = {k: _aim(k, v, targets) for k, v in case.path_parameters.items()}
                # The token, unless this case is about the Authorization header itself (a negative
                # case that drops or garbles it must be refused as sent).
                negated_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
                headers = plain if negated_headers and "Authorization" not in case.headers else {**plain, **token}
                response = case.call_and_validate(headers=headers, checks=CHECKS_RUN)
                seen[(case.operation.label, response.status_code // 100)] += 1

            try:
                run()
            except BaseException as exc:  # collect every operation's failure, not only the first
                if not isinstance(exc, Exception | BaseExceptionGroup):
                    raise
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    if os.environ.get("API_FUZZ_REPORT"):
        print("\n".join(f"{label} {status}xx: {n}" for (label, status), n in sorted(seen.items())))
    return failures, seen


def _answered(seen: Counter, status: int) -> set[str]:
    return {label for (label, klass), _n in seen.items() if klass == status}


def test_every_check_of_schemathesis_runs():
    names = {check.__name__ for check in CHECKS_RUN}
    assert {"not_a_server_error", "status_code_conformance", "content_type_conformance",
            "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
            "missing_required_header", "unsupported_method", "allow_header_conformance", "use_after_free",
            "ensure_resource_availability", "ignored_auth", "object_level_authorization",
            "positive_data_acceptance_but_state_rules"} <= names
    assert names - {"positive_data_acceptance_but_state_rules"} == set(CHECKS.get_all_names()) - {
        "positive_data_acceptance"}


def test_api_as_admin(api_schema, world, in_session):
    failures, seen = _fuzz(api_schema, world.headers("admin"), _targets(world))
    assert not failures, "\n\n".join(failures)
    # Not vacuous: the admin's reads succeed on every list and on records that exist.
    assert {"GET /api/v1/units", "GET /api/v1/people", "GET /api/v1/sessions", "GET /api/v1/review-notes",
            "GET /api/v1/action-items", "GET /api/v1/sessions/{session_id}"} <= _answered(seen, 2)


def test_api_as_district_president(api_schema, world):
    failures, seen = _fuzz(api_schema, world.headers("president"), _targets(world))
    assert not failures, "\n\n".join(failures)
    assert {"GET /api/v1/me/agenda", "GET /api/v1/action-items", "GET /api/v1/sessions"} <= _answered(seen, 2)
    # and is refused what the policy refuses
    assert {"GET /api/v1/units", "GET /api/v1/review-notes", "POST /api/v1/people"} <= _answered(seen, 4)
