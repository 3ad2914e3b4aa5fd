"""Builders for the progress and plan tests: rounds whose answers are already scored."""

from datetime import datetime, timedelta
from decimal import Decimal

from feedback.models import CriterionScore, FailureModeHit, Feedback
from questions.models import Probe, Question
from rounds.models import Answer, Round
from tests.factories import FailureModeFactory
from tests.rounds_helpers import make_question

CRITERIA = (("plan", "Plan"), ("metrics", "Metrics"))


def trap_question(slug: str, *modes: str, kind: str = "gtm", **fields) -> Question:
    """A published question whose probes target `modes`, in that order."""
    question = make_question(kind, slug=slug, title=slug.replace("-", " ").capitalize(), **fields)
    for order, key in enumerate(modes, start=1):
        Probe.objects.get_or_create(
            question=question,
            order=order,
            defaults={"text": f"Probe for {key}", "failure_mode": FailureModeFactory(key=key)},
        )
    return question


def scored_round(
    candidate, answers: list[tuple[Question, float, list[str]]], *, at: datetime
) -> Round:
    """A finished round submitted at `at`: per (question, overall, failure mode keys), a main
    answer with feedback, criterion scores (overall rounded) and the failure modes."""
    round_ = Round.objects.create(
        candidate=candidate, kinds=sorted({q.kind for q, _, _ in answers}), finished_at=at
    )
    for position, (question, overall, modes) in enumerate(answers, start=1):
        answer = Answer.objects.create(
            candidate=candidate,
            round=round_,
            position=position,
            question=question,
            kind=question.kind,
            prompt=question.prompt,
            text="An answer.",
            time_limit_seconds=600,
            started_at=at - timedelta(minutes=5),
            submitted_at=at,
            time_used_seconds=300,
        )
        feedback = Feedback.objects.create(
            answer=answer,
            scorer="heuristic",
            scorer_version="7",
            overall=Decimal(str(overall)),
            started_at=at,
            duration_ms=5,
        )
        CriterionScore.objects.bulk_create(
            CriterionScore(
                feedback=feedback, key=key, label=label, score=max(1, round(overall)), order=i
            )
            for i, (key, label) in enumerate(CRITERIA)
        )
        FailureModeHit.objects.bulk_create(
            FailureModeHit(feedback=feedback, failure_mode=FailureModeFactory(key=key))
            for key in modes
        )
    return round_
