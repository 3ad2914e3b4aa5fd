"""A draft the page was told is saved survives a database crash.

PostgreSQL is crashed for real (`pg_ctl stop -m immediate`: no checkpoint, no flush), so the
test runs its own throwaway cluster on a free port rather than the shared server: the app's
draft code saves in a loop in a subprocess and reports each save it returned from; the crash
comes in the middle; after a restart the stored draft must be at least the last one reported.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))

SAVER = """
import sys
from django.contrib.auth import get_user_model
from rounds import drafts, services

alice = get_user_model().objects.create_user("alice", password="x", role="candidate")
round_ = services.start_round(candidate=alice, kinds=["gtm"], count=1, rng=None)
answer = services.open_answer(answer=round_.answers.get())
print("READY", flush=True)
for number in range(1, 1_000_000):
    drafts.save_draft(
        candidate=alice, round_id=round_.pk, answer_id=answer.pk,
        text=f"draft {number}", sequence=number,
    )
    print(f"SAVED {number}", flush=True)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, text=True
    )


@pytest.fixture
def cluster() -> Iterator[tuple[Path, int]]:
    """A PostgreSQL cluster of the test's own: (data directory, port)."""
    if not PG_BIN or os.geteuid() != 0 or not shutil.which("runuser"):
        message = "a private PostgreSQL cluster needs the server binaries and root (runuser)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    # pytest's tmp_path sits below folders only root may enter; the server runs as postgres.
    data = Path(tempfile.mkdtemp(prefix="prep-crash-"))
    shutil.chown(data, "postgres", "postgres")
    bin_dir, port = PG_BIN[-1], _free_port()
    _as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"), "start"]
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {data} -c fsync=on"
    _as_postgres(*start, "-o", options)
    try:
        yield data, port
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)


def test_saves_shown_as_saved_survive_a_crash(cluster):
    data, port = cluster
    bin_dir = PG_BIN[-1]
    url = f"postgres://postgres@127.0.0.1:{port}/postgres"
    env = os.environ | {
        "DATABASE_URL": url,
        "DATABASE_POOL_MIN": "0",
        "DJANGO_SETTINGS_MODULE": "prep.settings",
        "SCORER": "heuristic",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    bank = [sys.executable, "manage.py", "import_bank", "-v0"]
    subprocess.run(bank, cwd=ROOT, env=env, check=True, capture_output=True)
    saver = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", SAVER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    last_saved = 0
    try:
        assert saver.stdout is not None
        for line in saver.stdout:
            if line.startswith("SAVED "):
                last_saved = int(line.split()[1])
                if last_saved == 300:  # well under way: crash the server mid-stream
                    _as_postgres(
                        str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"
                    )
                    break
        # Saves that returned while the server went down still count as shown to the page.
        for line in saver.stdout:
            if line.startswith("SAVED "):
                last_saved = int(line.split()[1])
    finally:
        saver.kill()
        saver.wait(timeout=10)

    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"), "start"]
    _as_postgres(*start, "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {data}")
    with psycopg.connect(url) as db:
        stored = db.execute("SELECT draft, draft_sequence FROM rounds_answer").fetchone()

    assert stored is not None and stored[1] >= last_saved, (stored, last_saved)
    assert stored[0] == f"draft {stored[1]}"
