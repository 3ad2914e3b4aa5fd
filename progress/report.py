"""What the progress page shows, from a candidate's history: plain functions, no queries."""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3

from prep.lib.kinds import Kind
from progress import plan
from progress.charts import LineChart, line_chart
from progress.selectors import History, Scored

ROUNDS_SHOWN = 20
N_CHOICES = (10, 20, 50)
DEFAULT_N = 20


class _Labels(dict[datetime, tuple[str, str]]):
    """A round's date as the chart ("2 Mar") and the table ("2 Mar 2026, 09:00") write it,
    formatted once per page, Django's "j M" by hand: date_format costs a tenth of a
    millisecond, and the page has hundreds of points."""

    def __missing__(self, when: datetime) -> tuple[str, str]:
        local = timezone.localtime(when)
        day = f"{local.day} {str(MONTHS_3[local.month]).title()}"
        self[when] = (day, f"{day} {local.year}, {local:%H:%M}")
        return self[when]


@dataclass(frozen=True)
class RoundPoint:
    when: datetime
    score: float  # the mean overall, or the mean of one criterion, of the round's answers
    answers: int
    day: str
    moment: str

    @property
    def text(self) -> str:
        return f"{self.score:.1f}"


def _point(when: datetime, scores: list[float], labels: _Labels) -> RoundPoint:
    return RoundPoint(when, sum(scores) / len(scores), len(scores), *labels[when])


def last_rounds(answers: list[Scored], last: int = ROUNDS_SHOWN) -> list[list[Scored]]:
    """The answers of the `last` rounds, grouped by round, in the order the rounds were
    answered; an answer outside a round stands alone."""
    groups: dict[Hashable, list[Scored]] = defaultdict(list)
    for answer in sorted(answers, key=lambda a: (a.submitted_at, a.answer_id)):
        key = ("round", answer.round_id) if answer.round_id else ("answer", answer.answer_id)
        groups[key].append(answer)
    return list(groups.values())[-last:]


def rounds_over_time(rounds: list[list[Scored]]) -> list[RoundPoint]:
    """The mean overall of each round's scored answers."""
    labels = _Labels()
    return [_point(group[0].submitted_at, [a.overall for a in group], labels) for group in rounds]


@dataclass(frozen=True)
class CriterionTrend:
    label: str
    points: list[RoundPoint]
    chart: LineChart

    @property
    def summary(self) -> str:
        """ "2.0 → 4.0 over 3 rounds", or "3.0 in one round"."""
        if len(self.points) == 1:
            return f"{self.points[0].text} in one round"
        return f"{self.points[0].text} → {self.points[-1].text} over {len(self.points)} rounds"

    @property
    def spoken(self) -> str:
        """Every point as text, for screen readers (one string: hundreds of small lists cost
        the page more than the rest of it)."""
        return "; ".join(f"{p.moment}: {p.text}" for p in self.points)


def criteria_over_time(rounds: list[list[Scored]]) -> list[tuple[str, list[CriterionTrend]]]:
    """For each kind practised in these rounds, each of its criteria's mean score per round
    that scored it (the answers carry their criteria: selectors.add_criteria). A criterion is
    its key and label, as the feedback stored them."""
    Criterion = tuple[str, str, str]  # kind, key, label
    by_criterion: dict[Criterion, list[RoundPoint]] = defaultdict(list)
    order: dict[Criterion, int] = {}
    labels = _Labels()
    for group in rounds:
        scores: dict[Criterion, list[float]] = defaultdict(list)
        for answer in group:
            for i, (key, label, score) in enumerate(answer.criteria):
                scores[(answer.kind, key, label)].append(score)
                order.setdefault((answer.kind, key, label), i)
        for criterion, values in scores.items():
            by_criterion[criterion].append(_point(group[0].submitted_at, values, labels))
    kinds: dict[str, list[CriterionTrend]] = defaultdict(list)
    for criterion in sorted(by_criterion, key=lambda c: (_kind_order(c[0]), order[c], c[2])):
        points = by_criterion[criterion]
        chart = line_chart(
            [(p.day, p.score) for p in points],
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
    """How many of the newest `n` scored answers about their question showed each failure mode
    (most frequent first, ties by key, as the plan ranks them), and how many answers that was."""
    counts, out_of = plan.recent_modes(history.attempts, n)
    modes = plan.ranked_modes(counts)
    return [ModeCount(key, history.titles.get(key, key), counts[key]) for key in modes], out_of
