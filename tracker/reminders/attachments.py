"""Files an e-mail of the outbox carries, made again when the message is delivered.

An outbox row keeps only a small reference to its file (``OutboxMessage.attachment``, JSON such as
``{"maker": "minutes_pdf", "minutes_id": 7, "version": 2}``), never the file: the domain that queued the
message registers a *maker* under the reference's ``maker`` name (the minutes register the PDF of a version of
the minutes), and delivery calls it in the message's language. A maker that cannot make its file raises
:class:`AttachmentUnavailable` with a line (already translated) that delivery adds to the e-mail's text: the
message goes out without the file, never stuck. Any other error is a failed attempt, tried again later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


class AttachmentUnavailable(Exception):
    """The file cannot be made; ``note`` (in the message's language) says so in the e-mail."""

    def __init__(self, note: str):
        super().__init__(note)
        self.note = note


Maker = Callable[[dict, str], Attachment]
MAKERS: dict[str, Maker] = {}


def register(name: str, maker: Maker) -> None:
    MAKERS[name] = maker


def make(reference: dict, locale: str) -> Attachment:
    """The file a reference names, in ``locale``. An unknown maker is unavailable (with no note)."""
    maker = MAKERS.get(str(reference.get("maker", "")))
    if maker is None:
        raise AttachmentUnavailable("")
    return maker(reference, locale)
