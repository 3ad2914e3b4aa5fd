"""The real Celery app for a test worker whose scoring tasks first sleep SLOW_SCORING_SECONDS,
so that a test can kill the worker in the middle of one (`celery -A tests.slow_worker`)."""

import os
import time

from celery.signals import task_prerun

from prep.celery import app

__all__ = ["app"]


@task_prerun.connect
def _sleep_before_scoring(task=None, **kwargs) -> None:
    if task is not None and task.name == "feedback.tasks.score_answer_task":
        print(f"slow_worker: sleeping before {task.request.id}", flush=True)
        time.sleep(float(os.environ.get("SLOW_SCORING_SECONDS", "60")))
