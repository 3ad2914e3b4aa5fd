"""Reading a candidate's scored history for the progress and plan pages, in a fixed number of
queries however many rounds there are: each scored main answer with its newest scored
feedback's overall, criterion scores and failure modes.

Follow-ups are left out: they are scored against their probe on a short rubric of their own,
so their numbers do not compare with a main answer's.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from accounts.models import User
from feedback.models import CriterionScore, FailureModeHit, Feedback
from progress.plan import Attempt
from questions.models import Question
from rounds.models import Answer


@dataclass
class Scored:
    feedback_id: int
    answer_id: int
    round_id: int | None
    question_id: int
    kind: str
    submitted_at: datetime
    overall: float
    off_topic: bool = False  # the scorer found it answers another question
    modes: list[str] = field(default_factory=list)
    criteria: list[tuple[str, str, int]] = field(default_factory=list)  # by add_criteria

    @property
    def attempt(self) -> Attempt:
        return Attempt(
            self.question_id, self.submitted_at, self.overall, tuple(self.modes), self.off_topic
        )


@dataclass
class History:
    answers: list[Scored]  # oldest first
    titles: dict[str, str]  # failure mode key -> title, for the modes found

    @cached_property
    def attempts(self) -> list[Attempt]:
        return [a.attempt for a in self.answers]


def _best_feedback(candidate: User) -> QuerySet[Feedback]:
    """The newest scored feedback of each of the candidate's submitted main answers (what
    feedback.selectors.scored_feedback picks for one answer), as an anti-join."""
    newer = Feedback.objects.filter(answer_id=OuterRef("answer_id"), overall__isnull=False).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return Feedback.objects.filter(
        answer__candidate=candidate,
        answer__follow_up_of__isnull=True,
        answer__submitted_at__isnull=False,
        overall__isnull=False,
    ).filter(~Exists(newer))


def history(candidate: User) -> History:
    """Every scored main answer of the candidate with its failure modes, oldest first: two
    queries."""
    best = _best_feedback(candidate)
    rows = best.values_list(
        "pk",
        "answer_id",
        "answer__round_id",
        "answer__question_id",
        "answer__kind",
        "answer__submitted_at",
        "overall",
        "raw__fit__verdict",
    ).order_by("answer__submitted_at", "answer_id")
    by_feedback: dict[int, Scored] = {}
    for pk, answer_id, round_id, question_id, kind, at, overall, verdict in rows:
        assert at is not None and overall is not None  # the query filters on both
        by_feedback[pk] = Scored(
            pk, answer_id, round_id, question_id, kind, at, float(overall), verdict == "off_topic"
        )
    titles: dict[str, str] = {}
    hits = FailureModeHit.objects.filter(feedback__in=best).order_by("id")
    for feedback_id, key, title in hits.values_list(
        "feedback_id", "failure_mode__key", "failure_mode__title"
    ):
        by_feedback[feedback_id].modes.append(key)
        titles[key] = title
    return History(list(by_feedback.values()), titles)


def add_criteria(answers: list[Scored]) -> None:
    """Read the criterion scores of these answers' feedback into them: one query. (The
    progress page asks for its last 20 rounds only, so the cost does not grow with history.)"""
    by_feedback = {a.feedback_id: a for a in answers}
    scores = CriterionScore.objects.filter(feedback_id__in=list(by_feedback))
    for feedback_id, key, label, score in scores.order_by("feedback_id", "order").values_list(
        "feedback_id", "key", "label", "score"
    ):
        by_feedback[feedback_id].criteria.append((key, label, score))


def traps() -> dict[int, dict[str, int]]:
    """Every published question with the failure modes its probes target ({key: the first
    probe's order}); a question whose probes target none maps to {}. One query."""
    found: dict[int, dict[str, int]] = {}
    rows = Question.objects.filter(is_published=True).values_list(
        "pk", "probes__failure_mode__key", "probes__order"
    )
    for question_id, mode, order in rows.order_by():
        modes = found.setdefault(question_id, {})
        if mode is not None:
            modes[mode] = min(order, modes.get(mode, order))
    return found


def questions_by_id(ids: list[int]) -> dict[int, Question]:
    return Question.objects.filter(is_published=True).in_bulk(ids)


@dataclass(frozen=True)
class RoundScore:
    mean: float | None  # of the scored main answers
    pending: bool  # a submitted main answer has no feedback yet

    @property
    def text(self) -> str:
        if self.pending:
            return "scoring…"
        return "not scored" if self.mean is None else f"{self.mean:.1f}"


NOT_SCORED = RoundScore(None, pending=False)


def round_scores(candidate: User) -> dict[int, RoundScore]:
    """Each of the candidate's rounds with a submitted main answer: its score. One query, a
    row per (answer, feedback), newest feedback first."""
    rows = (
        Answer.objects.filter(
            candidate=candidate,
            round__isnull=False,
            follow_up_of__isnull=True,
            submitted_at__isnull=False,
        )
        .order_by("pk", F("feedback__created_at").desc(nulls_last=True), "-feedback__pk")
        .values_list("round_id", "pk", "feedback__pk", "feedback__overall")
    )
    overalls: dict[int, list[Decimal]] = defaultdict(list)
    pending: set[int] = set()
    done: set[int] = set()  # answers whose newest scored feedback has been read
    for round_id, answer_id, feedback_id, overall in rows:
        assert round_id is not None  # filtered
        if feedback_id is None:
            pending.add(round_id)  # submitted, and no feedback at all yet
        elif overall is not None and answer_id not in done:
            overalls[round_id].append(overall)
            done.add(answer_id)
    return {
        round_id: RoundScore(
            float(sum(overalls[round_id]) / len(overalls[round_id]))
            if overalls[round_id]
            else None,
            round_id in pending,
        )
        for round_id in set(overalls) | pending
    }
