"""The Celery app (prep/celery.py) outside the worker: the `celery` commands people run."""

import os
import subprocess
import sys

import pytest
import redis

from tests.workers import ROOT, one_at_a_time, own_redis_db

pytestmark = pytest.mark.services


@pytest.fixture
def flushed_redis(redis_url: str, worker_redis_db: int):
    """A flushed Redis db: this process's own, as the workers use (tests/workers.py)."""
    base = None if os.environ.get("REDIS_URL") else worker_redis_db
    redis_url = own_redis_db(redis_url, base)
    with one_at_a_time(redis_url):
        client = redis.Redis.from_url(redis_url)
        client.flushdb()
        yield redis_url, client
        client.flushdb()


def test_celery_call_sends_a_scoring_task_to_its_queue(flushed_redis):
    url, client = flushed_redis
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "prep.settings", "REDIS_URL": url, "SCORER": "heuristic"}

    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "prep", "call"]
        + ["feedback.tasks.score_answer_task", "--args=[1]"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "AppRegistryNotReady" not in result.stderr
    # The router ran: the task waits on the heuristic queue, for a worker to score answer 1.
    assert client.llen("heuristic") == 1
