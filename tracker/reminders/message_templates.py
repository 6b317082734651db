"""Messages as registered templates: SMS in India must match a template registered with the operator (DLT),
and WhatsApp business messages use approved templates.

Each message kind has one template per language: a fixed text with named slots (``%(meeting)s`` in the
catalog, ``{#var#}`` in the operator's portal, ``{{1}}`` in WhatsApp's), and the id the office got for it
(``MESSAGE_TEMPLATE_IDS``: ``{name: {locale: id}}``; by default ``tracker_<name>_<locale>``). The SMS and
WhatsApp text is exactly the template with its variables filled in, the personal link (if any) on the last
line; the e-mail keeps the longer text of ``templates/reminders/messages/``. ``tracker messages templates``
prints what to register; :func:`sms_segments` counts what a text costs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale

from tracker.i18n import _

# A {#var#} of DLT holds at most 30 characters; longer values are cut with "...".
VAR_MAX_CHARS = 30
# An SMS of more parts costs more: a text over MAX_PARTS has its free text (a title) cut shorter, to at least
# MIN_CHARS; the agenda behind the link has it whole.
MAX_PARTS = 2
MIN_CHARS = 12
_SLOT = re.compile(r"%\((\w+)\)[sd]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class MessageTemplate:
    name: str
    text: Callable[[], str]  # the text with %(slot)s placeholders, translated in the current (forced) locale
    # The DLT variable type of a slot: "url" (the personal link), "numeric" (a code, a count); else "var".
    types: Mapping[str, str] = field(default_factory=dict)
    # The slots that may be cut shorter so that the text fits in MAX_PARTS (free text: a title).
    shrinkable: tuple[str, ...] = ()

    def source(self, locale: str) -> str:
        with force_locale(locale):
            return self.text()

    def slots(self, locale: str) -> list[str]:
        """The slots' names in the order they occur in the language's text (the variables' order)."""
        return _SLOT.findall(self.source(locale))

    def dlt_text(self, locale: str) -> str:
        """The text to register with the operator: ``{#var#}`` (or ``{#url#}``, ``{#numeric#}``) per slot."""
        return _SLOT.sub(lambda m: "{#" + self.types.get(m.group(1), "var") + "#}", self.source(locale))

    def whatsapp_text(self, locale: str) -> str:
        """The text to submit to WhatsApp: ``{{1}}``, ``{{2}}`` … in the variables' order."""
        count = iter(range(1, 1000))
        return _SLOT.sub(lambda _m: f"{{{{{next(count)}}}}}", self.source(locale))

    def fill(self, locale: str, values: Mapping[str, object]) -> Filled:
        """The text with its variables (cleaned, cut to their limit) and the variables in order; a title is
        cut shorter while the text takes more than MAX_PARTS SMS parts."""
        source = self.source(locale)
        raw = {name: _one_line(values.get(name, "")) for name in _SLOT.findall(source)}
        limit = VAR_MAX_CHARS
        while True:
            clean = {name: _cut(value, limit if name in self.shrinkable else VAR_MAX_CHARS)
                     if self.types.get(name, "var") == "var" else value for name, value in raw.items()}
            text = _SLOT.sub(lambda m, clean=clean: clean[m.group(1)], source)
            longest = max((len(raw[name]) for name in self.shrinkable if name in raw), default=0)
            if sms_segments(text) <= MAX_PARTS or limit <= MIN_CHARS or longest <= limit - 1:
                break
            limit -= 1
        return Filled(self.name, text, [(name, clean[name]) for name in _SLOT.findall(source)])


@dataclass(frozen=True)
class Filled:
    name: str
    text: str
    variables: list[tuple[str, str]]  # (slot, value) in the order of the slots in the text


def _one_line(value: object) -> str:
    """A variable holds no line break."""
    return _SPACES.sub(" ", str(value if value is not None else "")).strip()


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut with "..." (not "…": it is no GSM character, and would make an
    English text UCS-2)."""
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def _t(name: str, text: Callable[[], str], **types: str) -> MessageTemplate:
    return MessageTemplate(name, text, types, ("meeting", "item", "name", "title"))


# One per message kind (both reminders share one; a cancellation and a withdrawn invitation differ, and so do
# an invitation and the one a representative gets). Short on purpose: a Hindi SMS is UCS-2 (70 characters,
# 67 per part of a longer one) and the link alone takes about 65; tests/reminders/test_message_templates.py
# keeps each Hindi text within two parts with long real values.
TEMPLATES: dict[str, MessageTemplate] = {t.name: t for t in (
    _t("invitation", lambda: _("Invitation: %(meeting)s, %(when)s. Agenda and pass:\n%(link)s"), link="url"),
    _t("representative", lambda: _("In place of %(name)s: %(meeting)s, %(when)s. Pass:\n%(link)s"), link="url"),
    _t("reminder", lambda: _("Reminder: %(meeting)s, %(when)s. Agenda and pass:\n%(link)s"), link="url"),
    _t("change", lambda: _("Time changed: %(meeting)s is now on %(when)s.\n%(link)s"), link="url"),
    _t("cancellation", lambda: _("Cancelled: %(meeting)s, %(when)s. Please remove it from your calendar.")),
    _t("withdrawal", lambda: _("You are no longer expected at %(meeting)s, %(when)s.")),
    _t("digest", lambda: _("Office digest %(date)s: %(sessions)s sessions today, %(absent)s absent yesterday, "
                           "%(overdue)s action items overdue, %(flagged)s districts flagged."),
       sessions="numeric", absent="numeric", overdue="numeric", flagged="numeric"),
    _t("reply_request", lambda: _("Will you come? %(meeting)s, %(when)s. Answer here:\n%(link)s"), link="url"),
    _t("absence", lambda: _("You were not at %(meeting)s, %(when)s. Please tell the state office why.")),
    _t("action_due", lambda: _("Action item due %(date)s: %(item)s\n%(link)s"), link="url"),
    _t("circular", lambda: _("Circular: %(title)s. Answer by %(date)s:\n%(link)s"), link="url"),
    _t("circular_reminder", lambda: _("Reminder: please answer the circular %(title)s by %(date)s:\n%(link)s"),
       link="url"),
    _t("minutes", lambda: _("Minutes %(reference)s of %(title)s are ready to read:\n%(link)s"), link="url"),
    _t("report_question", lambda: _("Question on your report of %(date)s. Please answer:\n%(link)s"), link="url"),
    _t("sign_in_code", lambda: _("%(code)s is your sign-in code. Valid %(minutes)s minutes. Do not tell it to "
                                 "anyone.\n\n@%(host)s #%(code)s"), code="numeric", minutes="numeric"),
)}


def get(name: str) -> MessageTemplate:
    return TEMPLATES[name]


def fill(name: str, locale: str, values: Mapping[str, object]) -> Filled:
    return TEMPLATES[name].fill(locale, values)


def template_id(name: str, locale: str) -> str:
    """The id the office registered for the template in that language (``MESSAGE_TEMPLATE_IDS``)."""
    ids = (current_app.config.get("MESSAGE_TEMPLATE_IDS") or {}).get(name) or {}
    return str(ids.get(locale) or f"tracker_{name}_{locale}")


def payload(name: str, locale: str, variables: list) -> dict:
    """The ``template`` object of the webhook payload."""
    return {"name": name, "id": template_id(name, locale), "language": locale,
            "variables": [value for _slot, value in variables]}


# --- SMS segments ----------------------------------------------------------------------------------

# GSM 03.38: the basic character set (one septet each) and its extension table (two: escape + char).
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """How many SMS parts ``text`` takes: GSM-7 when every character is in the GSM alphabet (160 in one,
    153 per part of a longer one; an extension character counts two), else UCS-2 (70, 67 per part; counted
    in UTF-16 units). Devanagari is UCS-2."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        units, single, part = sum(2 if c in GSM_EXTENSION else 1 for c in text), 160, 153
    else:
        units, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    if units <= single:
        return 1
    return -(-units // part)
