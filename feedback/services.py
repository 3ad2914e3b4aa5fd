"""Score answers and store the feedback: once per answer and scorer version, whatever happens.

The scorer runs outside any transaction (an LLM call may take seconds); only the write is atomic.
Workers can be killed and tasks redelivered or run twice at once: the unique constraint on
(answer, scorer, scorer_version) decides, and the loser reads the winner's row.
"""

import dataclasses
import logging
import time
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.models import CriterionScore, FailureModeHit, Feedback
from questions.specs import specs_for_question
from rounds.models import Answer
from rubrics.models import Criterion, FailureMode
from scoring.followup import follow_up_rubric
from scoring.registry import get_scorer
from scoring.types import QuestionSpec, RubricSpec, ScoreResult

logger = logging.getLogger(__name__)


def score_answer(
    answer_id: int, scorer_name: str | None = None, *, replace: bool = False
) -> Feedback | None:
    """The answer's feedback from this scorer's current version, scoring it if there is none.

    With `replace`, score again and swap the stored feedback for the new one (rubric changed).
    None when the answer does not exist or was never submitted: there is nothing to score.
    """
    scorer = get_scorer(scorer_name)
    answer = (
        Answer.objects.select_related("question__rubric", "follow_up_of")
        .filter(pk=answer_id, submitted_at__isnull=False)
        .first()
    )
    if answer is None:
        logger.warning("answer %s is missing or not submitted; not scoring it", answer_id)
        return None
    key = {"answer": answer, "scorer": scorer.name, "scorer_version": scorer.version}
    if not replace and (existing := Feedback.objects.filter(**key).first()):
        return existing

    rubric, question = answer_specs(answer)
    started_at = timezone.now()
    started = time.perf_counter()
    try:
        scored = scorer.score(
            rubric, question, answer.text, time_used_seconds=answer.time_used_seconds
        )
        result: ScoreResult | None = scored
        error = result_problem(scored, rubric)
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


def answer_specs(answer: Answer) -> tuple[RubricSpec, QuestionSpec]:
    """The rubric and question the answer is scored against, as the scorer's plain specs."""
    rubric, question = specs_for_question(answer.question, prompt=answer.prompt)
    # Pacing is judged against the time this candidate had: the round's or the follow-up's.
    if answer.time_limit_seconds:
        question = dataclasses.replace(question, time_limit_seconds=answer.time_limit_seconds)
    if answer.follow_up_of is not None:
        # A follow-up is judged against its probe: the weakness it targeted, on its own rubric.
        question = dataclasses.replace(
            question,
            follow_up_of=answer.follow_up_of.prompt or answer.question.prompt,
            probe_failure_mode=answer.probe_failure_mode,
        )
    return rubric, question


def score_text(answer: Answer, text: str, scorer_name: str = "heuristic") -> ScoreResult:
    """Score `text` in place of the answer's own, synchronously, storing nothing: a rewrite
    tried out (attempts' fix-it drills). ValueError when the result cannot stand as scores."""
    rubric, question = answer_specs(answer)
    result = get_scorer(scorer_name).score(
        rubric, question, text, time_used_seconds=answer.time_used_seconds
    )
    if problem := result_problem(result, rubric):
        raise ValueError(problem)
    return result


def result_problem(result: ScoreResult, rubric: RubricSpec) -> str:
    """Why a scorer's result cannot be stored as scores, or "" when it can.

    A follow-up's result is scored on the follow-up rubric (scoring/followup.py), not the main one.
    """
    if result.raw.get("follow_up") is not None:
        rubric = dataclasses.replace(follow_up_rubric(rubric), failure_modes=rubric.failure_modes)
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
