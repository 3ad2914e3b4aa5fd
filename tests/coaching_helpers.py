"""Builders for the coaching tests: coach links and scored transcripts with known feedback."""

from datetime import datetime

from django.utils import timezone

from feedback.models import CriterionScore, FailureModeHit, Feedback
from rounds.models import Answer, Round
from tests.factories import (
    AnswerFactory,
    CoachLinkFactory,
    CriterionFactory,
    FailureModeFactory,
    QuestionFactory,
    RubricFactory,
    UserFactory,
)

MODES = {
    "premature_scaling": "Premature scaling",
    "vanity_metrics": "Vanity metrics",
    "no_measurement_plan": "No measurement plan",
}
MAIN_TEXT = (
    "We launch worldwide on day one with a big PR push. "
    "Success is views and likes on the launch video. "
    "Then we see what happens."
)
FOLLOW_UP_TEXT = "I would look at impressions every week and celebrate the buzz."


def rubric():
    modes = [FailureModeFactory(key=key, title=title) for key, title in MODES.items()]
    found = RubricFactory(slug="gtm-coaching", kind="gtm", failure_modes=modes)
    if not found.criteria.exists():
        CriterionFactory(
            rubric=found, key="staging", label="Staged launch", weight="0.600", order=1
        )
        CriterionFactory(
            rubric=found, key="metrics", label="Outcome metrics", weight="0.400", order=2
        )
    return found


def coach(username: str):
    return UserFactory(username=username, role="coach")


def link(candidate, coach_user, *, revoked: bool = False):
    now = timezone.now()
    return CoachLinkFactory(
        candidate=candidate,
        coach=coach_user,
        accepted_at=now,
        revoked_at=now if revoked else None,
    )


def evidence(text: str, quote: str) -> dict:
    start = text.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


def feedback(
    answer: Answer,
    *,
    scores: dict[str, int],
    hits: dict[str, list[str]],
    overall: str = "2.40",
    created_at: datetime | None = None,
) -> Feedback:
    """Feedback as a scorer would store it: `hits` maps a failure mode to its quoted passages."""
    found = Feedback.objects.create(
        answer=answer,
        scorer="heuristic",
        scorer_version="1",
        rubric=answer.question.rubric,
        overall=overall,
        raw={"scored_by": "heuristic-1"},
        started_at=timezone.now(),
        duration_ms=5,
    )
    labels = dict(answer.question.rubric.criteria.values_list("key", "label"))
    CriterionScore.objects.bulk_create(
        CriterionScore(
            feedback=found,
            key=key,
            label=labels.get(key, key),
            score=score,
            rationale=f"{key} rationale",
            order=i,
        )
        for i, (key, score) in enumerate(scores.items())
    )
    for key, quotes in hits.items():
        FailureModeHit.objects.create(
            feedback=found,
            failure_mode=FailureModeFactory(key=key, title=MODES.get(key, key)),
            evidence=[evidence(answer.text, q) for q in quotes],
            advice=f"Advice on {key}.",
        )
    if created_at:
        Feedback.objects.filter(pk=found.pk).update(created_at=created_at)
    return found


def transcript(
    candidate,
    *,
    title: str = "Launch in a new market",
    kind: str = "gtm",
    submitted_at: datetime | None = None,
    scores: dict[str, int] | None = None,
    hits: dict[str, list[str]] | None = None,
    follow_up: bool = True,
    follow_up_hits: dict[str, list[str]] | None = None,
    scored: bool = True,
    late: bool = False,
) -> Answer:
    """A finished round of one question: the main answer and its follow-up, both scored."""
    submitted_at = submitted_at or timezone.now()
    question = QuestionFactory(rubric=rubric(), kind=kind, title=title)
    round_ = Round.objects.create(candidate=candidate, kinds=[kind], finished_at=submitted_at)
    main = AnswerFactory(
        candidate=candidate,
        round=round_,
        question=question,
        kind=kind,
        text=MAIN_TEXT,
        time_limit_seconds=600,
        time_used_seconds=640 if late else 420,
        is_late=late,
        submitted_at=submitted_at,
    )
    if scored:
        feedback(
            main,
            scores=scores or {"staging": 2, "metrics": 3},
            hits=hits
            if hits is not None
            else {
                "premature_scaling": ["We launch worldwide on day one"],
                "vanity_metrics": ["views and likes"],
            },
        )
    if follow_up:
        second = AnswerFactory(
            candidate=candidate,
            round=round_,
            question=question,
            kind=kind,
            prompt="How would you know it worked?",
            follow_up_of=main,
            text=FOLLOW_UP_TEXT,
            time_limit_seconds=180,
            time_used_seconds=120,
            submitted_at=submitted_at,
        )
        if scored:
            feedback(
                second,
                scores={"staging": 3, "metrics": 1},
                hits=follow_up_hits
                if follow_up_hits is not None
                else {"vanity_metrics": ["impressions every week"]},
            )
    return main
