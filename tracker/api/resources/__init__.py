"""The API's resources, one module per domain; importing a module registers its routes."""


def load_resources() -> None:
    """Register every resource's routes, in the order the documentation lists them."""
    # isort: off
    from tracker.api.resources import directory  # noqa: F401
    from tracker.api.resources import meetings  # noqa: F401
    from tracker.api.resources import attendance  # noqa: F401
    from tracker.api.resources import reviews  # noqa: F401
    from tracker.api.resources import circulars  # noqa: F401
    from tracker.api.resources import reports  # noqa: F401
    from tracker.api.resources import files  # noqa: F401
    from tracker.api.resources import minutes  # noqa: F401
    # isort: on
