"""Why a message was not sent, in the reader's language.

``OutboxMessage.last_error`` holds a stable code and, after ": ", the technical detail (the channel's
own words, an exception): ``"refused: 550 mailbox unavailable"``. Pages show the code's explanation
from the catalog in the reader's language, and the detail beside it for the admin (never translated:
it is what the channel said). Rows written before codes existed hold an English sentence; the ones
the app wrote itself are recognised (``LEGACY``), anything else is shown as a detail.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.i18n import N_, _

TOO_LATE = "too-late"  # skipped: its send_before passed while it waited (e.g. a long downtime)
RESENT = "resent"  # the sender died after handing it over: sent again with the same key
CHANNEL_DOWN = "channel-down"  # the channel could not be reached (retried)
REFUSED = "refused"  # the channel refused it for good
FAILED = "failed"  # the channel answered with an error (retried up to the limit)
UNEXPECTED = "unexpected"  # a bug or an unexpected library error (retried)

EXPLANATIONS = {
    TOO_LATE: N_("Too late to be useful, so it was not sent."),
    RESENT: N_("Sending stopped before the channel answered; it was sent again, and the receiver "
               "recognises a second copy."),
    CHANNEL_DOWN: N_("The channel could not be reached."),
    REFUSED: N_("The channel refused the message."),
    FAILED: N_("The channel reported an error."),
    UNEXPECTED: N_("Sending failed with an unexpected error."),
}

# What the app stored before the codes (English sentences), by the code they meant.
LEGACY = {
    "too late to be useful": TOO_LATE,
    "the sender stopped after handing the message over, before the answer; "
    "sent again with the same Message-ID / Idempotency-Key": RESENT,
}


def stored(code: str, detail: str = "") -> str:
    """The ``last_error`` value for ``code`` with its technical ``detail``."""
    if code not in EXPLANATIONS:
        raise ValueError(f"unknown outbox error code {code!r}")
    return f"{code}: {detail}" if detail else code


@dataclass(frozen=True)
class ErrorView:
    text: str  # the explanation, in the reader's language ("" when the code is unknown)
    detail: str  # the technical detail, as stored


def explain(last_error: str | None) -> ErrorView | None:
    """The explanation of a stored ``last_error`` in the current language, with its detail."""
    if not last_error:
        return None
    if last_error in LEGACY:
        return ErrorView(_(EXPLANATIONS[LEGACY[last_error]]), "")
    code, _sep, detail = last_error.partition(": ")
    if code in EXPLANATIONS:
        return ErrorView(_(EXPLANATIONS[code]), detail)
    return ErrorView(_(EXPLANATIONS[FAILED]), last_error)
