"""Builders for the rounds tests: questions of each kind, and rounds in a given state."""

from datetime import UTC, datetime

from prep.lib.kinds import Kind
from rounds import selectors, services
from rounds.models import Answer, Round
from tests.factories import (
    CriterionFactory,
    FailureModeFactory,
    QuestionFactory,
    RubricFactory,
    TagFactory,
)

# The moment the `clock` fixture (tests/conftest.py) stands still at.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

FOLLOW_UPS = {
    "no_measurement_plan": "How would you know it worked?",
    "premature_scaling": "What would you validate first, and where?",
    "vanity_metrics": "Suppose the views arrive: what behaviour changed, and for whom?",
}


def rubric_for(kind: str = Kind.GTM):
    modes = [FailureModeFactory(key=key, follow_up=text) for key, text in FOLLOW_UPS.items()]
    rubric = RubricFactory(slug=f"{kind}-rounds", kind=kind, failure_modes=modes)
    if not rubric.criteria.exists():
        CriterionFactory(rubric=rubric, key=f"{kind}-plan", label="Plan", weight="0.600", order=1)
        CriterionFactory(rubric=rubric, key=f"{kind}-metrics", label="Metrics", weight="0.400")
    return rubric


def make_question(kind: str = Kind.GTM, *, slug: str | None = None, tags=(), **fields):
    kwargs = {"slug": slug} if slug else {}
    question = QuestionFactory(rubric=rubric_for(kind), kind=kind, **kwargs, **fields)
    if tags:
        question.tags.set([TagFactory(slug=tag) for tag in tags])
    return question


def start(candidate, questions: list, **options) -> Round:
    """A round over exactly these questions (one kind each or the same kind), unopened."""
    kinds = sorted({q.kind for q in questions}, key=list(Kind.values).index)
    return services.start_round(candidate=candidate, kinds=kinds, count=len(questions), **options)


def opened(round_: Round, now: datetime | None = None) -> Answer:
    """The round's current step, opened (its clock started)."""
    answer = selectors.current_step(round_)
    return services.open_answer(answer=answer, now=now)
