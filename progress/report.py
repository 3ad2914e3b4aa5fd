"""What the progress page shows, from a candidate's history: plain functions, no queries."""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from prep.lib.kinds import Kind
from progress import plan
from progress.charts import LineChart, line_chart
from progress.selectors import History, Scored

ROUNDS_SHOWN = 20
N_CHOICES = (10, 20, 50)
DEFAULT_N = 20


def _day(when: datetime) -> str:
    return date_format(timezone.localtime(when), "j M")


def _moment(when: datetime) -> str:
    return date_format(timezone.localtime(when), "j M Y, H:i")


@dataclass(frozen=True)
class RoundPoint:
    when: datetime
    overall: float
    answers: int

    @property
    def day(self) -> str:
        return _day(self.when)

    @property
    def moment(self) -> str:
        return _moment(self.when)


def _rounds(answers: list[Scored]) -> dict[Hashable, list[Scored]]:
    """Answers grouped by round in the order the rounds were answered; an answer outside a
    round stands alone."""
    groups: dict[Hashable, list[Scored]] = defaultdict(list)
    for answer in sorted(answers, key=lambda a: (a.submitted_at, a.answer_id)):
        key = ("round", answer.round_id) if answer.round_id else ("answer", answer.answer_id)
        groups[key].append(answer)
    return groups


def rounds_over_time(answers: list[Scored], last: int = ROUNDS_SHOWN) -> list[RoundPoint]:
    """The mean overall of each round's scored answers, for the `last` rounds, oldest first."""
    points = [
        RoundPoint(group[0].submitted_at, sum(a.overall for a in group) / len(group), len(group))
        for group in _rounds(answers).values()
    ]
    return points[-last:]


@dataclass(frozen=True)
class CriterionTrend:
    label: str
    points: list[RoundPoint]
    chart: LineChart

    @property
    def first(self) -> float:
        return self.points[0].overall

    @property
    def latest(self) -> float:
        return self.points[-1].overall


def criteria_over_time(
    answers: list[Scored], last: int = ROUNDS_SHOWN
) -> list[tuple[str, list[CriterionTrend]]]:
    """For each kind practised, each of its criteria's mean score per round over the `last`
    rounds that scored it. A criterion is its key and label, as the feedback stored them."""
    by_criterion: dict[tuple[str, str, str], list[RoundPoint]] = defaultdict(list)
    order: dict[tuple[str, str, str], int] = {}
    for group in _rounds(answers).values():
        scores: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for answer in group:
            for i, (key, label, score) in enumerate(answer.criteria):
                scores[(answer.kind, key, label)].append(score)
                order.setdefault((answer.kind, key, label), i)
        for criterion, values in scores.items():
            point = RoundPoint(group[0].submitted_at, sum(values) / len(values), len(values))
            by_criterion[criterion].append(point)
    kinds: dict[str, list[CriterionTrend]] = defaultdict(list)
    for criterion in sorted(by_criterion, key=lambda c: (_kind_order(c[0]), order[c], c[2])):
        points = by_criterion[criterion][-last:]
        chart = line_chart(
            [(p.day, p.overall) for p in points],
            width=300,
            height=110,
            left=22,
            right=10,
            top=8,
            bottom=8,
            x_labels=0,
        )
        kinds[criterion[0]].append(CriterionTrend(criterion[2], points, chart))
    return [(_kind_label(kind), trends) for kind, trends in kinds.items()]


def _kind_order(kind: str) -> int:
    return list(Kind.values).index(kind) if kind in Kind.values else len(Kind.values)


def _kind_label(kind: str) -> str:
    return Kind(kind).label if kind in Kind.values else kind


@dataclass(frozen=True)
class ModeCount:
    key: str
    title: str
    count: int


def mode_frequency(history: History, n: int) -> tuple[list[ModeCount], int]:
    """How many of the newest `n` scored answers showed each failure mode (most frequent
    first, ties by key, as the plan ranks them), and how many answers that was."""
    counts, out_of = plan.recent_modes(history.attempts, n)
    modes = plan.ranked_modes(counts)
    return [ModeCount(key, history.titles.get(key, key), counts[key]) for key in modes], out_of
