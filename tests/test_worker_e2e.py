"""A real Celery worker on Redis and PostgreSQL scores answers end to end.

The worker is a subprocess reading this test's own database (pytest-django's "test_" copy), so
these tests commit for real (transaction=True). Run them with:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prep_tasks \\
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/pytest tests/test_worker_e2e.py

Without REDIS_URL they use Redis db 3 on 127.0.0.1 and flush it first.
"""

import fcntl
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import redis
from django.db import connection, transaction

from rounds.models import Answer
from scoring import services, tasks
from scoring.models import Feedback
from tests.conftest import IN_CI
from tests.factories import AnswerFactory, QuestionFactory
from tests.scoring_helpers import UNREACHABLE_BROKER, broker, make_rubric

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
VISIBILITY_TIMEOUT = 5
ANSWER = (
    "We launch in every market at once with a huge PR push, and we measure success by views "
    "and likes. Rather than one pilot, everyone gets it on day one."
)


@pytest.fixture
def broker_url(redis_url, postgres_url):
    if connection.vendor != "postgresql":
        message = "the worker needs the test database in PostgreSQL: set DATABASE_URL"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    if not os.environ.get("REDIS_URL"):
        redis_url = urlparse(redis_url)._replace(path="/3").geturl()
    with one_at_a_time(redis_url):
        redis.Redis.from_url(redis_url).flushdb()
        with broker(redis_url):
            yield redis_url


@contextmanager
def one_at_a_time(redis_url: str, timeout: float = 120) -> Iterator[None]:
    """Workers of two tests on one Redis db would take each other's tasks (pytest -n, or two
    runs at once): hold a lock per db for the length of the test."""
    lock_path = Path(tempfile.gettempdir()) / f"prep-e2e-{quote(redis_url, safe='')}.lock"
    with lock_path.open("w") as lock:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another test held {lock_path} for {timeout} s")
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery worker` in its own process group, logging to a file the test can read."""

    def __init__(self, log_path: Path, env: dict[str, str]):
        self.log_path = log_path
        command = [sys.executable, "-m", "celery", "-A", "prep", "worker", "--pool", "prefork"]
        command += ["--concurrency", "1", "-Q", "celery,heuristic,llm", "--loglevel", "INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--hostname", f"{log_path.stem}@%h"]
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own, children included
            )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, timeout: float = 20) -> None:
        wait_for(lambda: text in self.log, timeout, f"{text!r} in the worker log", self)

    def kill(self) -> None:
        """SIGKILL the whole worker: the main process and its pool children, no cleanup."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def start_worker(broker_url, tmp_path):
    started: list[Worker] = []

    def start(**extra_env: str) -> Worker:
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "prep.settings",
            "DATABASE_URL": database_url(),
            "DATABASE_POOL_MIN": "1",
            "REDIS_URL": broker_url,
            "DEBUG": "True",
            "SCORER": "heuristic",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("PREP_TEST_SCORING_DELAY", None)
        worker = Worker(tmp_path / f"worker{len(started) + 1}.log", env | extra_env)
        started.append(worker)
        worker.wait_for_log(" ready.")
        return worker

    yield start
    for worker in started:
        worker.kill()


def wait_for(condition, timeout: float, what: str, *workers: Worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        if any(w.process.poll() is not None for w in workers):
            break
        time.sleep(0.1)
    logs = "\n".join(f"--- {w.log_path.name}\n{w.log[-3000:]}" for w in workers)
    pytest.fail(f"gave up waiting for {what} after {timeout} s\n{logs}")


def feedback_of(answer: Answer, *workers: Worker, timeout: float = 30) -> Feedback:
    return wait_for(
        lambda: Feedback.objects.filter(answer=answer).first(), timeout, "feedback", *workers
    )


def submit() -> Answer:
    """Save an answer and ask for scoring in one transaction, as the round view does."""
    with transaction.atomic():
        answer = AnswerFactory(question=QuestionFactory(rubric=make_rubric()), text=ANSWER)
        services.request_scoring(answer, "heuristic")
    return answer


def test_a_worker_scores_a_submitted_answer(start_worker, broker_url):
    worker = start_worker()
    queue = redis.Redis.from_url(broker_url)

    with transaction.atomic():
        answer = AnswerFactory(question=QuestionFactory(rubric=make_rubric()), text=ANSWER)
        services.request_scoring(answer, "heuristic")
        assert queue.llen("heuristic") == 0  # nothing is sent before the commit

    feedback = feedback_of(answer, worker)

    assert (feedback.scorer, feedback.error) == ("heuristic", "")
    assert 1 <= feedback.overall <= 5
    assert feedback.criterion_scores.count() == 2
    assert sorted(feedback.failure_mode_hits.values_list("failure_mode__key", flat=True)) == sorted(
        f["key"] for f in feedback.raw["failure_modes"]
    )
    assert f"scoring answer {answer.pk} with heuristic" in worker.log


def test_a_killed_workers_task_runs_again_and_scores_once(start_worker, broker_url):
    broker_db = redis.Redis.from_url(broker_url)
    slow = start_worker(PREP_TEST_SCORING_DELAY="60")
    answer = submit()
    slow.wait_for_log(f"scoring answer {answer.pk} with heuristic")
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
        submitted_at=answer.submitted_at - services.SWEEP_AFTER - timedelta(seconds=1)
    )

    tasks.sweep_unscored.delay()

    assert feedback_of(answer, worker).scorer == "heuristic"
    assert "sweep queued 1 of 1 unscored answers" in worker.log
