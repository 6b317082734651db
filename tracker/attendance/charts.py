"""A server-rendered SVG bar chart of attendance rates (no JS, no inline styles; it prints)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
ROW = 44
BAR = 18
LABEL_GAP = 18
VALUE_SPACE = 64


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str
    y_label: int
    y_bar: int
    width: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int
    grid: list[tuple[float, str]]


def bar_chart(bars: list[tuple[str, float]], fmt) -> BarChart:
    """Geometry for horizontal bars of rates between 0 and 1; ``fmt`` formats a rate for its label."""
    span = WIDTH - VALUE_SPACE
    out = []
    for i, (label, value) in enumerate(bars):
        value = min(max(value or 0.0, 0.0), 1.0)
        top = i * ROW
        width = round(span * value, 1)
        out.append(Bar(label, value, fmt(value), top + 14, top + LABEL_GAP + 2, width, width + 6))
    grid = [(round(span * f, 1), fmt(f)) for f in (0.0, 0.5, 1.0)]
    return BarChart(out, WIDTH, max(len(out), 1) * ROW + 22, BAR, grid)
