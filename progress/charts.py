"""Geometry for the progress page's server-rendered SVG charts; the templates draw the shapes
and carry the same figures as text for screen readers.

Coordinates are handed to the templates as strings: a float in a template goes through
Django's number localisation, which cost more than the rest of the page (thousands of
coordinates on the progress page)."""

import math
from dataclasses import dataclass


def _n(value: float) -> str:
    """A coordinate as SVG wants it: 12.5, 40 (never "12,5", never "40.0")."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    label: str
    value: float
    text: str


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    path: str  # the polyline's "x,y x,y …"
    y_ticks: list[tuple[str, str]]  # y, label
    x_labels: list[Point]
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def tick_x(self) -> int:
        return self.left - 6


def line_chart(
    values: list[tuple[str, float]],
    *,
    width: int = 640,
    height: int = 240,
    low: float = 1,
    high: float = 5,
    left: int = 36,
    right: int = 16,
    top: int = 12,
    bottom: int = 30,
    x_labels: int = 6,
) -> LineChart:
    """Values on a fixed scale from `low` to `high`, evenly spaced in the order given, with at
    most `x_labels` of their labels under the axis (the first and the last always)."""
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / (len(values) - 1) if len(values) > 1 else 0
    points = []
    for i, (label, value) in enumerate(values):
        x = left + (i * step if len(values) > 1 else plot_w / 2)
        y = top + plot_h * (high - min(max(value, low), high)) / (high - low)
        points.append(Point(_n(x), _n(y), label, value, f"{value:.1f}"))
    every = max(1, math.ceil(len(points) / x_labels)) if x_labels else 0
    shown = [p for i, p in enumerate(points) if every and (i % every == 0)]
    if x_labels and points and points[-1] not in shown:
        shown = shown[:-1] + [points[-1]] if len(shown) >= x_labels else shown + [points[-1]]
    ticks = [
        (_n(top + plot_h * (high - v) / (high - low)), f"{v:g}")
        for v in range(int(low), int(high) + 1)
    ]
    return LineChart(
        points,
        " ".join(f"{p.x},{p.y}" for p in points),
        ticks,
        shown,
        width,
        height,
        left,
        width - right,
        top,
        height - bottom,
    )


@dataclass(frozen=True)
class CountBar:
    label: str
    count: int
    y: int
    width: str
    text: str


@dataclass(frozen=True)
class CountChart:
    bars: list[CountBar]
    ticks: list[tuple[str, str]]  # x, label
    width: int
    height: int
    plot_x: int
    plot_width: int
    bar_height: int


def count_chart(
    rows: list[tuple[str, int]],
    *,
    out_of: int,
    label_width: int = 250,
    plot_width: int = 300,
    bar_height: int = 18,
    gap: int = 8,
    top: int = 22,
) -> CountChart:
    """Horizontal bars of counts on a scale from 0 to `out_of`, one row each, with whole-number
    ticks at a step of 1, 2, 5, 10, 20 or 50, whichever gives at most five intervals."""
    out_of = max(out_of, 1)
    step = next((s for s in (1, 2, 5, 10, 20, 50) if out_of / s <= 5), 100)
    ticks = [
        (_n(label_width + plot_width * v / out_of), str(v)) for v in range(0, out_of + 1, step)
    ]
    bars = [
        CountBar(
            label,
            count,
            top + i * (bar_height + gap),
            _n(plot_width * min(count, out_of) / out_of),
            f"{count} of {out_of}",
        )
        for i, (label, count) in enumerate(rows)
    ]
    height = top + len(rows) * (bar_height + gap) + 4
    width = label_width + plot_width + 80
    return CountChart(bars, ticks, width, height, label_width, plot_width, bar_height)
