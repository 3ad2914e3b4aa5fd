"""A real Celery worker on Redis and PostgreSQL scores answers end to end.

The worker is a subprocess reading this test's own database (pytest-django's "test_" copy), so
these tests commit for real (transaction=True). Run them with:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prep_tasks \\
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/pytest tests/test_worker_e2e.py

Without REDIS_URL they use Redis db 3 on 127.0.0.1 and flush it first.
"""

import re
import time
from datetime import timedelta

import pytest
import redis
from django.db import connection, transaction

from feedback import selectors, tasks
from feedback.models import Feedback
from rounds.models import Answer
from tests.factories import AnswerFactory, QuestionFactory
from tests.scoring_helpers import UNREACHABLE_BROKER, broker, make_rubric
from tests.workers import VISIBILITY_TIMEOUT, Worker, wait_for

# The worker fixtures (broker_url, start_worker) come from tests/workers.py.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ANSWER = (
    "We launch in every market at once with a huge PR push, and we measure success by views "
    "and likes. Rather than one pilot, everyone gets it on day one."
)


def feedback_of(answer: Answer, *workers: Worker, timeout: float = 60) -> Feedback:
    return wait_for(
        lambda: Feedback.objects.filter(answer=answer).first(), timeout, "feedback", *workers
    )


def submit() -> Answer:
    """Save an answer and ask for scoring in one transaction, as the round view does."""
    with transaction.atomic():
        answer = AnswerFactory(question=QuestionFactory(rubric=make_rubric()), text=ANSWER)
        tasks.request_scoring(answer, "heuristic")
    return answer


def test_a_worker_scores_a_submitted_answer(start_worker, broker_url):
    worker = start_worker(PGAPPNAME="e2e-worker")
    queue = redis.Redis.from_url(broker_url)

    with transaction.atomic():
        answer = AnswerFactory(question=QuestionFactory(rubric=make_rubric()), text=ANSWER)
        tasks.request_scoring(answer, "heuristic")
        assert queue.llen("heuristic") == 0  # nothing is sent before the commit

    feedback = feedback_of(answer, worker)

    assert (feedback.scorer, feedback.error) == ("heuristic", "")
    assert 1 <= feedback.overall <= 5
    assert feedback.criterion_scores.count() == 2
    assert sorted(feedback.failure_mode_hits.values_list("failure_mode__key", flat=True)) == sorted(
        f["key"] for f in feedback.raw["failure_modes"]
    )
    assert f"scoring answer {answer.pk} with heuristic" in worker.log

    # The next task reuses the worker's pooled connection rather than opening a new pool.
    before = worker_backends()
    feedback_of(submit(), worker)
    assert before and worker_backends() == before


def worker_backends() -> set[int]:
    """Server processes of the worker's connections (libpq reads PGAPPNAME)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'e2e-worker'")
        return {pid for (pid,) in cursor.fetchall()}


def test_a_killed_workers_task_runs_again_and_scores_once(start_worker, broker_url):
    broker_db = redis.Redis.from_url(broker_url)
    slow = start_worker("tests.slow_worker", SLOW_SCORING_SECONDS="60")
    answer = submit()
    slow.wait_for_log("slow_worker: sleeping before")
    task_id = re.search(r"score_answer_task\[([0-9a-f-]+)\] received", slow.log)[1]

    slow.kill()

    assert not Feedback.objects.filter(answer=answer).exists()
    unacked = broker_db.zrange("unacked_index", 0, -1, withscores=True)
    assert len(unacked) == 1  # Redis still holds the task, unacknowledged
    # A fresh worker looks for such tasks when it starts; let them be old enough to count.
    time.sleep(max(0.0, unacked[0][1] + VISIBILITY_TIMEOUT + 0.5 - time.time()))

    fresh = start_worker()
    feedback = feedback_of(answer, fresh)
    fresh.wait_for_log(f"score_answer_task[{task_id}] succeeded")  # the same task, again

    # Acknowledged at last, so it will not run a third time.
    wait_for(lambda: broker_db.zcard("unacked_index") == 0, 5, "the acknowledgement", fresh)
    assert broker_db.llen("heuristic") == 0
    assert Feedback.objects.filter(answer=answer).count() == 1
    assert feedback.criterion_scores.count() == 2


def test_the_sweep_scores_an_answer_saved_while_the_broker_was_down(start_worker, broker_url):
    worker = start_worker()
    with broker(UNREACHABLE_BROKER):
        answer = submit()  # the commit succeeds; queueing fails and is logged

    assert redis.Redis.from_url(broker_url).llen("heuristic") == 0
    assert not Feedback.objects.filter(answer=answer).exists()
    # The outage lasted longer than the sweep waits before it counts an answer as lost.
    Answer.objects.filter(pk=answer.pk).update(
        submitted_at=answer.submitted_at - selectors.SWEEP_AFTER - timedelta(seconds=1)
    )

    tasks.sweep_unscored.delay()

    assert feedback_of(answer, worker).scorer == "heuristic"
    assert "sweep queued 1 of 1 unscored answers" in worker.log
