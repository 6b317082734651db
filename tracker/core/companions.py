"""Processes that ``tracker serve`` starts beside the development server: a domain that needs one (the
reminders' scheduler) registers the ``tracker`` command that runs it, and ``serve`` stops them with itself."""

from __future__ import annotations

_COMPANIONS: list[tuple[str, ...]] = []


def register_serve_companion(*argv: str) -> None:
    """``tracker serve`` also runs ``tracker <argv…>`` (registering the same command again changes nothing)."""
    if argv not in _COMPANIONS:
        _COMPANIONS.append(argv)


def serve_companions() -> list[tuple[str, ...]]:
    return list(_COMPANIONS)
