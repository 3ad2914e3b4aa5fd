"""gunicorn with production settings on the test database, for tests that need a real server.

Such a test must commit for real (transaction=True): the server reads the test database from
another process.
"""

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.workers import ROOT, database_url

SECRET_KEY = "test-server-" + "x" * 40


def free_port() -> int:
    """A port nothing listens on: within PREP_TEST_PORTS (e.g. "8100-8199") when it is set, so
    tests on a shared machine keep to their range; otherwise any port the kernel offers."""
    low, _, high = os.environ.get("PREP_TEST_PORTS", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    pytest.fail(f"no free port in PREP_TEST_PORTS={os.environ['PREP_TEST_PORTS']}")


def production_env(**extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) on the test database, tasks run eagerly."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "prep.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "False",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "False",
    }
    env.pop("REDIS_URL", None)
    return env | extra


@pytest.fixture(scope="session")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Production settings serve static files from a manifest that collectstatic writes: it
    compresses a thousand files (4 s), so it runs once for the whole run, shared by the
    pytest-xdist processes (their base temporary directories sit side by side)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    root = base / "collected-static"
    with (base / "collected-static.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / "collected-static.done").exists():
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=ROOT,
                env=production_env(STATIC_ROOT=str(root)),
                check=True,
                timeout=120,
            )
            (base / "collected-static.done").touch()
    return root


class Server:
    """gunicorn in its own process group, logging to a file; stop it with kill()."""

    def __init__(
        self, log: Path, static_root: Path, *, threads: int = 1, port: int = 0, **env: str
    ):
        self.port = port or free_port()
        self.log = log
        command = [sys.executable, "-m", "gunicorn", "prep.wsgi", "-b", f"127.0.0.1:{self.port}"]
        command += ["--workers", "1", "--threads", str(threads)]
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=production_env(STATIC_ROOT=str(static_root), **env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=1)
                return
            except urllib.error.HTTPError:
                return  # serving, though refusing this request (its host, say)
            except OSError:
                time.sleep(0.1)
        self.kill()
        pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def status(self, path: str) -> int:
        """The status of GET `path` (after redirects)."""
        try:
            return urllib.request.urlopen(self.url(path), timeout=10).status
        except urllib.error.HTTPError as exc:
            return exc.code

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
