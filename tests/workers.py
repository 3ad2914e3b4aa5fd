"""A real Celery worker subprocess on Redis, reading the test's own PostgreSQL database.

Loaded as a pytest plugin by tests/conftest.py, so any test may ask for `start_worker`; such a
test must commit for real (transaction=True, or live_server). The worker works only when the
test database is PostgreSQL: elsewhere the fixtures skip, and fail in CI.

Each pytest-xdist process has its own Redis db (REDIS_URL's, or `worker_redis_db` without it, plus
the process's index), flushed before each test; a lock per db keeps two tests' workers apart when
two runs on one machine land on the same db.
"""

import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
import redis
from django.db import connection

from tests.conftest import IN_CI
from tests.scoring_helpers import broker

ROOT = Path(__file__).resolve().parent.parent
# Seconds before Redis hands an unacknowledged task (its worker killed) to another worker.
VISIBILITY_TIMEOUT = 5


def need_postgres_test_database() -> None:
    if connection.vendor != "postgresql":
        message = "the worker needs the test database in PostgreSQL: set DATABASE_URL"
        pytest.fail(message) if IN_CI else pytest.skip(message)


# The Redis db used when REDIS_URL is unset.
LOCAL_REDIS_DB = 3


@pytest.fixture
def worker_redis_db() -> int:
    return LOCAL_REDIS_DB


REDIS_DATABASES = 16  # redis-server's default


def own_redis_db(redis_url: str, base: int | None = None, offset: int = 0) -> str:
    """The Redis db of this pytest-xdist process: REDIS_URL's db (or `base`) plus `offset`
    plus the process's index, so that tests with workers in two processes run side by side."""
    if base is None:
        base = int(urlparse(redis_url).path.strip("/") or 0)
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    db = (base + offset + index) % REDIS_DATABASES
    return urlparse(redis_url)._replace(path=f"/{db}").geturl()


@pytest.fixture
def broker_url(redis_url: str, postgres_url: str, worker_redis_db: int) -> Iterator[str]:
    """A flushed Redis db that this test's tasks are published to (not run eagerly)."""
    need_postgres_test_database()
    base = None if os.environ.get("REDIS_URL") else worker_redis_db
    redis_url = own_redis_db(redis_url, base)
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
    """The test database (pytest-django's "test_" copy) as a DATABASE_URL for a subprocess."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(broker_url: str) -> dict[str, str]:
    """A worker's environment: the test database, `broker_url`, the heuristic scorer."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "prep.settings",
        "DATABASE_URL": database_url(),
        "DATABASE_POOL_MIN": "1",
        "REDIS_URL": broker_url,
        "DEBUG": "True",
        "SCORER": "heuristic",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "PYTHONUNBUFFERED": "1",
    }


class Worker:
    """`celery worker` in its own process group, logging to a file the test can read."""

    def __init__(self, log_path: Path, env: dict[str, str], app: str = "prep"):
        self.log_path = log_path
        command = [sys.executable, "-m", "celery", "-A", app, "worker", "--pool", "prefork"]
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

    def wait_for_log(self, text: str, timeout: float = 60) -> None:
        # A bound, not an expectation: a worker is ready in about 2 s on an idle machine.
        wait_for(lambda: text in self.log, timeout, f"{text!r} in the worker log", self)

    def kill(self) -> None:
        """SIGKILL the whole worker: the main process and its pool children, no cleanup."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def start_worker(broker_url: str, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """start_worker(app, **env) starts a worker and waits until it is ready; all die after."""
    started: list[Worker] = []

    def start(app: str = "prep", **extra_env: str) -> Worker:
        env = worker_env(broker_url) | extra_env
        worker = Worker(tmp_path / f"worker{len(started) + 1}.log", env, app)
        started.append(worker)
        worker.wait_for_log(" ready.")
        return worker

    yield start
    for worker in started:
        worker.kill()


def wait_for(condition: Callable[[], Any], timeout: float, what: str, *workers: Worker) -> Any:
    """Poll `condition` until it is truthy and return its value; fail with the workers' logs
    when it is not within `timeout` seconds, or as soon as a worker has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        if any(w.process.poll() is not None for w in workers):
            break
        time.sleep(0.1)
    logs = "\n".join(f"--- {w.log_path.name}\n{w.log[-3000:]}" for w in workers)
    pytest.fail(f"gave up waiting for {what} after {timeout} s\n{logs}")
