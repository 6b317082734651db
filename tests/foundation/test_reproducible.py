"""Hypothesis runs the same examples on every run unless a developer asks to explore (tests/conftest.py)."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.meetings import test_planner_properties as planner_properties

pytestmark = pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE", "ci") != "ci",
                                reason="another Hypothesis profile was asked for")


def test_default_profile_is_derandomised_without_an_example_database():
    assert settings.default.derandomize is True
    assert settings.default.database is None


def test_module_settings_inherit_the_profile():
    assert planner_properties.SETTINGS.derandomize is True
    assert planner_properties.ADJUST.derandomize is True


def _draws() -> list[int]:
    seen: list[int] = []

    @given(st.integers(0, 10**9))
    @settings(max_examples=20)
    def record(value):
        seen.append(value)

    record()
    return seen


def test_two_runs_draw_the_same_examples():
    assert _draws() == _draws()
