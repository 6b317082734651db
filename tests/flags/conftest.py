"""The reviews' small world (a reviewed district with an overdue action item, its in-charges) serves the flags."""

from tests.reviews.conftest import signed_note, world  # noqa: F401
