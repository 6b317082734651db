"""What the History sections show of logins (tracker.audit.fields), and how they name who acted."""

from __future__ import annotations

from tracker.audit.fields import (
    HIDDEN,
    LANGUAGE,
    NUMBER,
    PHONE,
    TEXT,
    YES_NO,
    Ref,
    register,
    register_actions,
    register_actors,
    titles,
)
from tracker.auth.models import Role, User
from tracker.auth.operations import POST_KINDS
from tracker.directory.history import PERSON, POST
from tracker.i18n import _l

# A login by the name people know: its person's name in the page's language, else its own.
USER = Ref(User, lambda user: user.display_name, _l("deleted login #%(id)s"))
GRANTS = {"reviews.read": _l("May read review notes")}


def register_fields() -> None:
    register_actors(USER, {"scheduler": _l("the scheduler"), "cli": _l("the command line"),
                           "personal link": _l("a personal link")})
    register_actions({
        "login_throttled": _l("Sign-in slowed after failed attempts"),
        "deactivate": _l("Login deactivated"),
        "created_from_post": _l("Login made from a post"),
        "logins_from_posts": _l("Logins made from posts"),
        "phone_changed": _l("Mobile number changed"),
        "signed_out_everywhere": _l("Signed out on all phones"),
        "access_revoked": _l("Sessions and tokens revoked"),
    })
    register("users", {
        "username": (_l("Username"), TEXT),
        "full_name": (_l("Full name"), TEXT),
        "role": (_l("Role"), titles(Role)),
        "person_id": (_l("Person"), PERSON),
        "locale": (_l("Language"), LANGUAGE),
        "email": (_l("Email"), TEXT),
        "mobile": (_l("Mobile number"), PHONE),
        "is_active_flag": (_l("Active"), YES_NO),
        "grants": (_l("Extra rights"), titles(GRANTS)),
        # custom events (tracker.auth.operations, posts, phone)
        "reason": (_l("Reason"), TEXT),
        "failures": (_l("Failed attempts"), NUMBER),
        "address": (_l("Network address"), TEXT),
        "known_device": (_l("Known device"), YES_NO),
        "session_version": (_l("Sign-ins ended"), HIDDEN),  # a counter: the action says what happened
        "post_id": (_l("Post"), POST),
        "kind": (_l("Kind of post"), titles({code: kind.label for code, kind in POST_KINDS.items()})),
        "units": (_l("Units"), TEXT),
        "created": (_l("Logins made"), TEXT),
        "skipped": (_l("Left out"), TEXT),
    })
    register("login_addresses", {
        "failures": (_l("Failed attempts"), NUMBER),
        "address": (_l("Network address"), TEXT),
    })
