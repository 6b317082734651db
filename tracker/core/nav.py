"""Navigation by role: each domain registers its entries; the policy decides who sees them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

from tracker import policy


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


_ENTRIES: dict[str, NavEntry] = {}


def register_nav(endpoint: str, label, action: str, order: int = 100) -> None:
    _ENTRIES[endpoint] = NavEntry(endpoint, label, action, order)


def nav_items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    current = request.endpoint or ""
    for entry in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.endpoint)):
        if not policy.can(user, entry.action):
            continue
        blueprint = entry.endpoint.split(".")[0]
        active = current == entry.endpoint or (current.split(".")[0] == blueprint and blueprint != "core")
        items.append(NavItem(url_for(entry.endpoint), str(entry.label), active))
    return items
