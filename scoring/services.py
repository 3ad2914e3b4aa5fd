"""Score answers and store the feedback: once per answer and scorer version, whatever happens.

The scorer runs outside any transaction (an LLM call may take seconds); only the write is atomic.
Workers can be killed and tasks redelivered or run twice at once: the unique constraint on
(answer, scorer, scorer_version) decides, and the loser reads the winner's row.
"""

import dataclasses
import logging
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from rounds.models import Answer
from rubrics.models import Criterion, FailureMode
from scoring.models import CriterionScore, FailureModeHit, Feedback
from scoring.registry import default_scorer_name, get_scorer
from scoring.specs import question_spec, rubric_spec_for_slug
from scoring.types import RubricSpec, ScoreResult

logger = logging.getLogger(__name__)

# An answer still unscored this long after submission has lost its task (broker down, worker
# killed past its retries); the periodic sweep queues it again.
SWEEP_AFTER = timedelta(minutes=3)
SWEEP_BATCH = 500


def score_answer(
    answer_id: int, scorer_name: str | None = None, *, replace: bool = False
) -> Feedback | None:
    """The answer's feedback from this scorer's current version, scoring it if there is none.

    With `replace`, score again and swap the stored feedback for the new one (rubric changed).
    None when the answer does not exist or was never submitted: there is nothing to score.
    """
    scorer = get_scorer(scorer_name)
    answer = (
        Answer.objects.select_related("question__rubric")
        .filter(pk=answer_id, submitted_at__isnull=False)
        .first()
    )
    if answer is None:
        logger.warning("answer %s is missing or not submitted; not scoring it", answer_id)
        return None
    key = {"answer": answer, "scorer": scorer.name, "scorer_version": scorer.version}
    if not replace and (existing := Feedback.objects.filter(**key).first()):
        return existing

    rubric = rubric_spec_for_slug(answer.question.rubric.slug)
    question = dataclasses.replace(question_spec(answer.question), prompt=answer.prompt)
    started_at = timezone.now()
    started = time.perf_counter()
    try:
        result: ScoreResult | None = scorer.score(
            rubric, question, answer.text, time_used_seconds=answer.time_used_seconds
        )
        error = result_problem(result, rubric)
    except (ConnectionError, TimeoutError):
        raise  # the task retries these
    except Exception as exc:
        # A scorer bug fails the same way every time: record it instead of retrying forever.
        logger.exception("%s failed on answer %s", scorer.name, answer.pk)
        result, error = None, f"{type(exc).__name__}: {exc}"
    duration_ms = round((time.perf_counter() - started) * 1000)

    fields: dict[str, Any] = {
        "rubric": answer.question.rubric,
        "started_at": started_at,
        "duration_ms": duration_ms,
        "error": error or (result.error if result else ""),
        "raw": _raw(result),
        "overall": None if error or result is None else Decimal(str(result.overall)),
    }
    return _store(key, fields, None if error else result, replace=replace)


def result_problem(result: ScoreResult, rubric: RubricSpec) -> str:
    """Why a scorer's result cannot be stored as scores, or "" when it can."""
    criteria = {c.key for c in rubric.criteria}
    modes = {f.key for f in rubric.failure_modes}
    keys = [c.key for c in result.criteria]
    if set(keys) != criteria or len(keys) != len(criteria):
        return f"scorer returned criteria {sorted(keys)}, the rubric has {sorted(criteria)}"
    for c in result.criteria:
        if not 1 <= c.score <= c.max:
            return f"score {c.score} for {c.key} is outside 1..{c.max}"
    if unknown := {f.key for f in result.failure_modes} - modes:
        return f"scorer reported failure modes not in the rubric: {sorted(unknown)}"
    if not 1 <= result.overall <= 5:
        return f"overall {result.overall} is outside 1..5"
    return ""


def _raw(result: ScoreResult | None) -> dict[str, Any]:
    if result is None:
        return {}
    # The scorer actually used can differ from the one asked (the LLM falls back to heuristics).
    return {"scored_by": result.scorer_id, **dataclasses.asdict(result)}


def _store(
    key: dict[str, Any], fields: dict[str, Any], result: ScoreResult | None, *, replace: bool
) -> Feedback:
    with transaction.atomic():
        if replace:
            Feedback.objects.filter(**key).delete()
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(**key, **fields)
        except IntegrityError:
            # Another run of this task stored it first (redelivery, sweep, double click).
            return Feedback.objects.get(**key)
        if result is not None:
            _store_rows(feedback, result)
    return feedback


def _store_rows(feedback: Feedback, result: ScoreResult) -> None:
    criteria = dict(Criterion.objects.filter(rubric=feedback.rubric_id).values_list("key", "pk"))
    modes = dict(
        FailureMode.objects.filter(key__in=[f.key for f in result.failure_modes]).values_list(
            "key", "pk"
        )
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            feedback=feedback,
            criterion_id=criteria.get(c.key),
            key=c.key,
            label=c.label,
            score=c.score,
            max_score=c.max,
            rationale=c.rationale,
            order=order,
        )
        for order, c in enumerate(result.criteria)
    )
    FailureModeHit.objects.bulk_create(
        FailureModeHit(
            feedback=feedback,
            failure_mode_id=modes[f.key],
            evidence=[dataclasses.asdict(e) for e in f.evidence],
            advice=f.advice,
        )
        for f in result.failure_modes
    )


def request_scoring(answer: Answer, scorer_name: str | None = None) -> None:
    """Queue scoring for when the current transaction commits (at once outside one).

    A broker outage must not lose the answer the candidate just saved: the failure is logged
    and the sweep queues the answer once the broker is back.
    """
    scorer = scorer_name or default_scorer_name()
    answer_id = answer.pk
    transaction.on_commit(lambda: enqueue(answer_id, scorer))


def enqueue(answer_id: int, scorer_name: str | None = None, *, replace: bool = False) -> bool:
    """Send one scoring task now; False when the broker cannot be reached."""
    from scoring.tasks import score_answer_task

    kwargs: dict[str, Any] = {"scorer": scorer_name or default_scorer_name()}
    if replace:
        kwargs["replace"] = True
    try:
        score_answer_task.apply_async((answer_id,), kwargs)
    except (BrokerError, ConnectionError) as exc:
        logger.warning("could not queue scoring of answer %s, the sweep will: %s", answer_id, exc)
        return False
    return True


def unscored_answers(older_than: timedelta = SWEEP_AFTER) -> QuerySet[Answer]:
    """Submitted answers with no feedback at all, submitted more than `older_than` ago."""
    return (
        Answer.objects.filter(submitted_at__lte=timezone.now() - older_than)
        .filter(~Exists(Feedback.objects.filter(answer=OuterRef("pk"))))
        .order_by("submitted_at", "pk")
    )


def sweep_unscored(older_than: timedelta = SWEEP_AFTER, limit: int = SWEEP_BATCH) -> int:
    """Queue the oldest unscored answers again; how many were queued."""
    ids = list(unscored_answers(older_than).values_list("pk", flat=True)[:limit])
    queued = sum(enqueue(answer_id) for answer_id in ids)
    if ids:
        logger.info("sweep queued %s of %s unscored answers", queued, len(ids))
    return queued


def answers_showing(failure_mode_key: str, since: datetime) -> QuerySet[Answer]:
    """Answers submitted since `since` whose feedback found this failure mode."""
    return Answer.objects.filter(
        submitted_at__gte=since,
        feedback__failure_mode_hits__failure_mode__key=failure_mode_key,
    ).distinct()


def submitted_answers(
    *,
    rubric: str | None = None,
    kind: str | None = None,
    question: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Answer]:
    """Submitted answers, filtered by rubric slug, kind, question slug and submission time."""
    answers = Answer.objects.filter(submitted_at__isnull=False)
    if rubric:
        answers = answers.filter(question__rubric__slug=rubric)
    if kind:
        answers = answers.filter(kind=kind)
    if question:
        answers = answers.filter(question__slug=question)
    if since:
        answers = answers.filter(submitted_at__gte=since)
    return answers.order_by("pk")
