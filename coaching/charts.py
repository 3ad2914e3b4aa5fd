"""Geometry for small server-rendered SVG bar charts (the template draws the shapes)."""

from dataclasses import dataclass, field

LABEL_WIDTH = 210
PLOT_WIDTH = 330
VALUE_WIDTH = 60
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 14
TOP = 24


@dataclass(frozen=True)
class Bar:
    series: int
    name: str
    value: float | None
    y: int
    width: float
    text: str


@dataclass(frozen=True)
class Group:
    label: str
    y: int
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    groups: list[Group]
    series: list[str]
    max_value: float
    width: int = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    height: int = 0
    plot_x: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    ticks: list[tuple[float, str]] = field(default_factory=list)


def _text(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def bar_chart(
    rows: list[tuple[str, list[float | None]]],
    *,
    series: list[str],
    max_value: float,
    digits: int = 2,
    ticks: int = 4,
) -> Chart:
    """Horizontal grouped bars, one group per row and one bar per series. Values below zero
    (a negative kappa) or missing draw no bar; their number is still written beside it."""
    groups, y = [], TOP
    for label, values in rows:
        bars = []
        for i, value in enumerate(values):
            share = 0.0 if value is None else min(max(value, 0.0), max_value) / max_value
            bars.append(
                Bar(
                    i,
                    series[i],
                    value,
                    y + i * (BAR_HEIGHT + BAR_GAP),
                    round(share * PLOT_WIDTH, 1),
                    _text(value, digits),
                )
            )
        group_height = len(values) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        groups.append(Group(label, y, y + group_height // 2 + 4, bars))
        y += group_height + GROUP_GAP
    tick_marks = [
        (round(LABEL_WIDTH + PLOT_WIDTH * i / ticks, 1), _text(max_value * i / ticks, 1))
        for i in range(ticks + 1)
    ]
    return Chart(groups, series, max_value, height=y + 6, ticks=tick_marks)
