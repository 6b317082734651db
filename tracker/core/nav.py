"""Navigation by role: each domain registers its entries; the policy decides who sees them.

One entry is highlighted at a time: the one that matches the current page most specifically (the page's
own endpoint, else the entry whose URL is the longest prefix of the page's path, else the first entry of
the page's blueprint).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

from tracker import policy

HOME_ENDPOINT = "core.dashboard"


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # lazy string
    action: str  # policy action that must be allowed
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool
    endpoint: str = ""


_ENTRIES: dict[str, NavEntry] = {}


def register_nav(endpoint: str, label, action: str, order: int = 100) -> None:
    _ENTRIES[endpoint] = NavEntry(endpoint, label, action, order)


def _path_of(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/")


def match_score(entry_endpoint: str, entry_url: str, endpoint: str, path: str) -> tuple[int, int] | None:
    """How specifically an entry matches the current page (bigger is better), or None.

    (3, 0) the page is the entry's own endpoint; (2, n) the entry's path (n characters) is a prefix of
    the page's path, segment by segment; (1, 0) the page is in the entry's blueprint.
    """
    if endpoint == entry_endpoint:
        return (3, 0)
    own = _path_of(entry_url)
    here = path.rstrip("/")
    if own and (here == own or here.startswith(own + "/")):
        return (2, len(own))
    blueprint = entry_endpoint.rsplit(".", 1)[0]
    if "." in endpoint and endpoint.rsplit(".", 1)[0] == blueprint and blueprint != "core":
        return (1, 0)
    return None


def nav_items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    from tracker.core.links import home_endpoint_for

    home = home_endpoint_for(user)
    entries = [e for e in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.endpoint))
               if policy.can(user, e.action)]
    if home is not None and any(e.endpoint == home for e in entries):
        # /home leads to the user's own home page, which has an entry of its own: one entry for one page.
        entries = [e for e in entries if e.endpoint != HOME_ENDPOINT]
    urls = [url_for(e.endpoint) for e in entries]
    endpoint, path = request.endpoint or "", request.path
    best, best_score = None, None
    for index, entry in enumerate(entries):
        score = match_score(entry.endpoint, urls[index], endpoint, path)
        if score is not None and (best_score is None or score > best_score):
            best, best_score = index, score
    return [NavItem(urls[i], str(e.label), i == best, e.endpoint) for i, e in enumerate(entries)]
