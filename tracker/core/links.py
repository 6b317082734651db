"""What one domain adds to another domain's pages, registered in one place.

Four small registries, filled by each domain's ``init_app`` and read by templates and core views:

* **Page links** ("slots"): a page of one domain names a slot, e.g. ``meetings.session``, and renders
  ``{{ page_links('meetings.session', session) }}``; other domains register the links they add there
  (the attendance domain adds the session's roster, passes and report). Each link carries the policy
  action the current user must be allowed, so a page shows only the links its viewer may follow. No
  template of one domain includes another domain's templates.
* **Page panels**: a part of a page that another domain renders, e.g. the QR pass (attendance) on each
  session of a president's agenda (meetings), a district's open action items (reviews) on the directory's
  unit page, the calendar and API-token sections of the settings page. The page renders
  ``{{ page_panels('directory.unit', unit) }}``; each registered panel is a template of the registering
  domain, rendered with the page's context and what the panel's context function gives.
* **Home panels**: each domain registers what its users must see on the home page (the office's draft
  meetings, failed messages, overdue action items; the coordinator's sessions; the in-charge's review
  slots). A panel is a callable returning :class:`PanelItems` (a bounded list, and a total counted by the
  database), or a template of the domain's own that renders it.
* **Home pages**: a role whose real home is another page (a district president's agenda) registers it;
  ``/home`` then leads there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask import render_template, url_for
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from tracker import policy

# --- page links ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageLink:
    slot: str
    label: object  # a lazy string
    endpoint: str
    action: str  # the policy action the viewer must be allowed (on policy_target(target))
    args_from: Callable[[object], dict]  # the endpoint's URL arguments, from the page's object
    policy_target: Callable[[object], object] | None = None  # what the policy is asked about; default the object
    when: Callable[[object], bool] | None = None  # shown only if this says so (e.g. not for a cancelled session)
    order: int = 100


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    endpoint: str


_LINKS: dict[str, list[PageLink]] = {}


def register_link(slot: str, label, endpoint: str, action: str, args_from: Callable[[object], dict], *,
                  policy_target: Callable[[object], object] | None = None,
                  when: Callable[[object], bool] | None = None, order: int = 100) -> None:
    """Add a link to the pages that render ``slot``. Registering the same (slot, endpoint) again replaces it."""
    entries = [e for e in _LINKS.get(slot, []) if e.endpoint != endpoint]
    entries.append(PageLink(slot, label, endpoint, action, args_from, policy_target, when, order))
    _LINKS[slot] = sorted(entries, key=lambda e: (e.order, e.endpoint))


def links_for(slot: str, target, user=None) -> list[Link]:
    """The links of ``slot`` for ``target`` that ``user`` (default: the current user) may follow."""
    user = current_user if user is None else user
    out = []
    for entry in _LINKS.get(slot, ()):
        if entry.when is not None and not entry.when(target):
            continue
        checked = entry.policy_target(target) if entry.policy_target else target
        if not policy.can(user, entry.action, checked):
            continue
        out.append(Link(url_for(entry.endpoint, **entry.args_from(target)), str(entry.label), entry.endpoint))
    return out


def page_links(slot: str, target, label=None) -> Markup:
    """Jinja helper: the slot's links as a row of buttons (nothing when there are none)."""
    links = links_for(slot, target)
    if not links:
        return Markup("")
    return Markup(render_template("core/_page_links.html", links=links, label=label, slot=slot))


def registered_slots() -> dict[str, list[PageLink]]:
    return {slot: list(entries) for slot, entries in _LINKS.items()}


# --- page panels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PagePanel:
    slot: str
    template: str  # a template of the registering domain
    context: Callable[[object], dict | None] | None  # (target) -> the template's variables; None: not shown
    action: str | None  # the policy action the viewer must be allowed on the target; None: anyone on the page
    when: Callable[[object], bool] | None
    order: int


_PAGE_PANELS: dict[str, list[PagePanel]] = {}


def register_page_panel(slot: str, template: str, context: Callable[[object], dict | None] | None = None, *,
                        action: str | None = None, when: Callable[[object], bool] | None = None,
                        order: int = 100) -> None:
    """Render ``template`` where a page calls ``page_panels(slot, target)``, with the page's context, ``target``
    and what ``context(target)`` returns (return None to leave the panel out). ``context`` runs for each call:
    a panel of a slot that a page renders once per row must load what it needs for all the rows at its first
    call (and keep it for the request), so that the page's query count does not grow with its rows.
    Registering the same (slot, template) again replaces it."""
    entries = [p for p in _PAGE_PANELS.get(slot, []) if p.template != template]
    entries.append(PagePanel(slot, template, context, action, when, order))
    _PAGE_PANELS[slot] = sorted(entries, key=lambda p: (p.order, p.template))


@pass_context
def page_panels(page_context, slot: str, target) -> Markup:
    """Jinja helper: the panels registered for ``slot`` that apply to ``target``, one after another."""
    parts = []
    for panel in _PAGE_PANELS.get(slot, ()):
        if panel.when is not None and not panel.when(target):
            continue
        if panel.action is not None and not policy.can(current_user, panel.action, target):
            continue
        extra = panel.context(target) if panel.context is not None else {}
        if extra is None:
            continue
        template = page_context.environment.get_template(panel.template)
        parts.append(template.render({**page_context.get_all(), "target": target, **extra}))
    return Markup("".join(parts))


def registered_page_panels() -> dict[str, list[PagePanel]]:
    return {slot: list(entries) for slot, entries in _PAGE_PANELS.items()}


# --- home panels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelItem:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class PanelItems:
    """What a panel shows: a bounded list of items, and how many there are in all (counted by the database)."""

    items: Sequence[PanelItem] = ()
    total: int | None = None  # None: the list is all there is


@dataclass(frozen=True)
class Panel:
    key: str
    title: object  # a lazy string
    action: str  # the policy action that may see the panel
    items: Callable[[object], object]  # (user) -> PanelItems, or what ``template`` needs
    template: str | None = None  # a template of the domain's own, given ``panel`` (its ``data``: what items gave)
    more_endpoint: str | None = None  # "see all" (the full page)
    more_args: tuple = ()  # its URL arguments, as (name, value) pairs
    more_label: object = None
    empty: object = None  # shown when there is nothing (a lazy string); default: the panel is left out
    order: int = 100
    attention: bool = False  # lists what needs someone's attention (drafts, failures, overdue work)


@dataclass
class ShownPanel:
    panel: Panel
    data: object = field(default_factory=PanelItems)

    @property
    def key(self) -> str:
        return self.panel.key

    @property
    def title(self) -> str:
        return str(self.panel.title)

    @property
    def more_url(self) -> str | None:
        return url_for(self.panel.more_endpoint, **dict(self.panel.more_args)) if self.panel.more_endpoint else None

    @property
    def more_label(self) -> str | None:
        return str(self.panel.more_label) if self.panel.more_label else None

    @property
    def empty(self) -> str | None:
        return str(self.panel.empty) if self.panel.empty else None

    @property
    def count(self) -> int | None:
        if not isinstance(self.data, PanelItems):
            return None
        return self.data.total if self.data.total is not None else len(self.data.items)


_PANELS: dict[str, Panel] = {}


def register_panel(key: str, title, action: str, items: Callable[[object], object], *,
                   template: str | None = None, more_endpoint: str | None = None, more_args: dict | None = None,
                   more_label=None, empty=None, order: int = 100, attention: bool = False) -> None:
    """A panel of the home page for the users the policy allows ``action``. ``items(user)`` returns
    :class:`PanelItems` (shown by core as a list of links), or, with ``template``, whatever that template
    of the domain's own renders. Each call must issue a fixed number of queries. ``attention``: the panel
    lists what needs attending to; when the user may see such panels and all are empty, the home page
    says that nothing needs attention (instead of showing nothing)."""
    _PANELS[key] = Panel(key, title, action, items, template, more_endpoint, tuple((more_args or {}).items()),
                         more_label, empty, order, attention)


def attention_clear(user, shown: list[ShownPanel]) -> list[str]:
    """When ``user`` may see panels of things needing attention and none had anything to show: their titles
    (what was looked at, for "nothing needs your attention"); otherwise an empty list."""
    if any(s.panel.attention for s in shown):
        return []
    return [str(p.title) for p in sorted(_PANELS.values(), key=lambda p: (p.order, p.key))
            if p.attention and policy.can(user, p.action)]


def panels_for(user) -> list[ShownPanel]:
    """The home panels the user may see, in order; a panel with nothing to show is left out unless it says
    what "nothing" means (``empty``)."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if not policy.can(user, panel.action):
            continue
        data = panel.items(user)
        if panel.template is not None or data.items or panel.empty:
            shown.append(ShownPanel(panel, data))
    return shown


# --- home pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomePage:
    endpoint: str
    action: str  # the policy action that says "this is the user's home"
    order: int = 100


_HOMES: list[HomePage] = []


def register_home(endpoint: str, action: str, order: int = 100) -> None:
    """``endpoint`` is the home page of the users the policy allows ``action`` (``/home`` leads there)."""
    _HOMES[:] = sorted([h for h in _HOMES if h.endpoint != endpoint] + [HomePage(endpoint, action, order)],
                       key=lambda h: (h.order, h.endpoint))


def home_endpoint_for(user) -> str | None:
    """The endpoint of the user's own home page, when it is not the dashboard."""
    for home in _HOMES:
        if policy.can(user, home.action):
            return home.endpoint
    return None
