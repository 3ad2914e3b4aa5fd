"""Celery tasks, and the functions that queue them.

A task takes ids, calls one service and holds no business logic. Scoring tasks are
acknowledged only when they finish (`acks_late`) and requeued when the worker running them
dies (`reject_on_worker_lost`); the broker hands an unacknowledged task to another worker after
CELERY_VISIBILITY_TIMEOUT. Running a task twice is harmless: `score_answer` stores one feedback
per answer and scorer version. Retry countdowns stay well under the visibility timeout, or
Redis would hand the waiting retry to a second worker.
"""

import logging
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

from feedback import selectors, services
from rounds.models import Answer
from scoring.registry import default_scorer_name

logger = logging.getLogger(__name__)

# Database and network hiccups; anything else is a bug and retrying will not fix it.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
QUEUES = {"heuristic": "heuristic", "llm": "llm"}
SWEEP_BATCH = 500


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=6,
)
def score_answer_task(answer_id: int, scorer: str | None = None, replace: bool = False) -> None:
    logger.info("scoring answer %s with %s", answer_id, scorer or default_scorer_name())
    services.score_answer(answer_id, scorer, replace=replace)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=5, max_retries=3)
def sweep_unscored(older_than_seconds: int | None = None, limit: int = SWEEP_BATCH) -> int:
    """Queue the oldest answers left unscored again (the beat runs this every minute)."""
    older_than = selectors.SWEEP_AFTER
    if older_than_seconds is not None:
        older_than = timedelta(seconds=older_than_seconds)
    ids = list(selectors.unscored_answers(older_than).values_list("pk", flat=True)[:limit])
    queued = sum(enqueue(answer_id) for answer_id in ids)
    if ids:
        logger.info("sweep queued %s of %s unscored answers", queued, len(ids))
    return queued


def request_scoring(answer: Answer, scorer_name: str | None = None) -> None:
    """Queue scoring for when the current transaction commits (at once outside one).

    A broker outage must not lose the answer the candidate just saved: the failure is logged
    and the sweep queues the answer once the broker is back.
    """
    scorer = scorer_name or default_scorer_name()
    answer_id = answer.pk
    transaction.on_commit(lambda: enqueue(answer_id, scorer))


def on_answer_submitted(sender: type, *, answer: Answer, **kwargs: Any) -> None:
    """The receiver of rounds.signals.answer_submitted (connected in FeedbackConfig.ready)."""
    request_scoring(answer)


def enqueue(answer_id: int, scorer_name: str | None = None, *, replace: bool = False) -> bool:
    """Send one scoring task now; False when the broker cannot be reached."""
    kwargs: dict[str, Any] = {"scorer": scorer_name or default_scorer_name()}
    if replace:
        kwargs["replace"] = True
    try:
        score_answer_task.apply_async((answer_id,), kwargs)
    except (BrokerError, ConnectionError) as exc:
        logger.warning("could not queue scoring of answer %s, the sweep will: %s", answer_id, exc)
        return False
    return True


def route_task(
    name: str, args: tuple, kwargs: dict | None, options: dict, task: object = None, **kw: object
) -> dict[str, str] | None:
    """CELERY_TASK_ROUTES: scoring goes to the queue of the scorer it names."""
    if name == score_answer_task.name:
        scorer = (kwargs or {}).get("scorer") or default_scorer_name()
        if scorer in QUEUES:
            return {"queue": QUEUES[scorer]}
    return None
