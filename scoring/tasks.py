"""Celery tasks: each takes ids, calls one service and holds no business logic.

Scoring tasks are acknowledged only when they finish (`acks_late`) and requeued when the worker
running them dies (`reject_on_worker_lost`); the broker hands an unacknowledged task to another
worker after CELERY_VISIBILITY_TIMEOUT. Running a task twice is harmless: `score_answer` stores
one feedback per answer and scorer version. Retry countdowns stay well under the visibility
timeout, or Redis would hand the waiting retry to a second worker.
"""

import logging
import os
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from scoring import services
from scoring.registry import default_scorer_name

logger = logging.getLogger(__name__)

# Database and network hiccups; anything else is a bug and retrying will not fix it.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
QUEUES = {"heuristic": "heuristic", "llm": "llm"}


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
    _test_delay()
    services.score_answer(answer_id, scorer, replace=replace)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=5, max_retries=3)
def sweep_unscored(older_than_seconds: int | None = None) -> int:
    older_than = services.SWEEP_AFTER
    if older_than_seconds is not None:
        older_than = timedelta(seconds=older_than_seconds)
    return services.sweep_unscored(older_than)


def route_task(
    name: str, args: tuple, kwargs: dict | None, options: dict, task: object = None, **kw: object
) -> dict[str, str] | None:
    """CELERY_TASK_ROUTES: scoring goes to the queue of the scorer it names."""
    if name == score_answer_task.name:
        scorer = (kwargs or {}).get("scorer") or default_scorer_name()
        if scorer in QUEUES:
            return {"queue": QUEUES[scorer]}
    return None


def _test_delay() -> None:
    """PREP_TEST_SCORING_DELAY=<seconds> slows each scoring task down, so that a test can kill
    the worker in the middle of one. Honoured only with DEBUG on, never in production."""
    delay = os.environ.get("PREP_TEST_SCORING_DELAY")
    if delay and settings.DEBUG:
        time.sleep(float(delay))
