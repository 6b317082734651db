"""The API's resources, one module per domain; importing a module registers its routes."""


def load_resources() -> None:
    from tracker.api.resources import attendance, directory, meetings, reviews  # noqa: F401
