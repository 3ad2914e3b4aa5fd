"""A Redis outage while the worker holds a countdown task (a scoring retry waiting on its
backoff): the worker must live through it and score the answer once Redis is back.

The test runs its own redis-server on a free port, never the shared one, and stops and starts
it under a real worker (tests/workers.py) on the test's PostgreSQL database.
"""

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from feedback.models import Feedback
from feedback.tasks import score_answer_task
from tests.conftest import IN_CI
from tests.factories import AnswerFactory, QuestionFactory
from tests.scoring_helpers import broker, make_rubric
from tests.workers import need_postgres_test_database, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Longer than the outage lasts, shorter than the tests' visibility timeout (tests/workers.py).
COUNTDOWN = 4


class RedisServer:
    """redis-server on 127.0.0.1, keeping its data in `directory` (an append-only file, as in
    docker-compose.yml) so that a restart finds the queues where it left them."""

    def __init__(self, directory: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--dir", str(self.directory), "--appendonly", "yes", "--save", ""]
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: self._answers(client), 10, f"redis-server on port {self.port}")

    def _answers(self, client: redis.Redis) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        """SIGTERM: Redis writes its append-only file and exits, as in a restart."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    if not shutil.which("redis-server"):
        message = "redis-server is not installed"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=10)


@pytest.fixture
def broker_url(own_redis: RedisServer) -> Iterator[str]:
    """Overrides tests/workers.py: start_worker's worker, and this test's tasks, use the test's
    own Redis."""
    need_postgres_test_database()
    with broker(own_redis.url):
        yield own_redis.url


def test_a_worker_holding_a_countdown_task_lives_through_a_redis_restart(
    own_redis, start_worker, postgres_url
):
    worker = start_worker()
    answer = AnswerFactory(question=QuestionFactory(rubric=make_rubric()))
    score_answer_task.apply_async((answer.pk,), {"scorer": "heuristic"}, countdown=COUNTDOWN)
    worker.wait_for_log("] received")
    # The worker holds the task, unacknowledged, while its countdown runs.
    assert redis.Redis.from_url(own_redis.url).zcard("unacked_index") == 1

    own_redis.stop()
    worker.wait_for_log("Connection to broker lost")
    time.sleep(1)  # the worker closes its channels and starts reconnecting
    own_redis.start()

    feedback = wait_for(
        lambda: Feedback.objects.filter(answer=answer).first(), 60, "feedback", worker
    )
    assert feedback.scorer == "heuristic"
    assert worker.process.poll() is None, worker.log[-3000:]
    assert "Unrecoverable error" not in worker.log
    assert Feedback.objects.filter(answer=answer).count() == 1
