"""The API's resources, one module per domain; importing a module registers its routes."""


import importlib

# In the order the documentation lists them.
MODULES = ("directory", "meetings", "attendance", "reviews")


def load_resources() -> None:
    for name in MODULES:
        importlib.import_module(f"tracker.api.resources.{name}")
