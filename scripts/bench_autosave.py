#!/usr/bin/env python
"""Autosave under load: gunicorn with production settings on PostgreSQL, driven by wrk.

Creates (or reuses) its own database, gives --candidates candidates an open answer and a
logged-in session each (written straight into the session table), starts gunicorn on
127.0.0.1 with DEBUG off, and for each gunicorn configuration runs wrk for --duration seconds:

  1. GET /healthz, a trivial Django view, as fast as --connections allow;
  2. POST drafts to the autosave endpoint, rotating over the candidates, as fast as possible;
  3. the same at a steady --rate (1,500 candidates saving every 5 s is 300 requests/s).

It prints requests/s, p50 and p99 of each, autosave as a share of the bare-UPDATE floor (with
--floor: the least any write through Django costs here), and the CPU time per
request of gunicorn, PostgreSQL and wrk (which stays meaningful when other work shares the
machine), and counts every failed response. Gunicorn is always stopped and the bench
candidates deleted, also on Ctrl-C or SIGTERM.

    .venv/bin/python scripts/bench_autosave.py                       # 2 workers x 4 threads
    .venv/bin/python scripts/bench_autosave.py --configs 3x1,2x4 --duration 15
    .venv/bin/python scripts/bench_autosave.py --floor     # also one bare UPDATE behind a POST
    .venv/bin/python scripts/bench_autosave.py --no-token  # autosave the signed-in way

A config WxT is W gunicorn workers with T threads each (T > 1 uses the gthread worker).
Needs wrk (apt-get install wrk); only ever talks to 127.0.0.1.
"""

import argparse
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

from benchkit import (  # scripts/ is on sys.path when a script runs
    create_database,
    port_in_use,
    stop,
    unwind_on_sigterm,
)

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "scripts" / "bench_autosave.lua"
PREFIX = "bench-autosave-"
GOAL_RATE, GOAL_P99_MS = 300, 100


@dataclass
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    # CPU time per request: gunicorn's workers, their PostgreSQL backends, and wrk itself.
    app_cpu_ms: float = 0.0
    db_cpu_ms: float = 0.0
    wrk_cpu_ms: float = 0.0

    @property
    def ceiling(self) -> float:
        """Requests/s the server side could do on all the machine's CPUs, by its CPU time."""
        return (os.cpu_count() or 1) * 1000 / max(self.app_cpu_ms + self.db_cpu_ms, 1e-9)

    def lines(self, name: str) -> str:
        errors = f", {self.errors} errors" if self.errors else ""
        return (
            f"  {name:<26} {self.rate:8.0f} req/s   p50 {self.p50_ms:6.1f} ms   "
            f"p99 {self.p99_ms:6.1f} ms   ({self.requests} requests{errors})\n"
            f"  {'':<26} CPU per request: gunicorn {self.app_cpu_ms:.2f} ms, PostgreSQL "
            f"{self.db_cpu_ms:.2f} ms, wrk {self.wrk_cpu_ms:.2f} ms"
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/prep_bench")
    parser.add_argument("--candidates", type=int, default=1500)
    parser.add_argument(
        "--configs", default="2x4", help="gunicorn WORKERSxTHREADS, comma-separated"
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--rate", type=int, default=GOAL_RATE, help="paced run, requests/s")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure one bare UPDATE behind a POST (scripts/bench_floor_urls.py)",
    )
    parser.add_argument(
        "--no-token",
        dest="token",
        action="store_false",
        help="post without the page's autosave token: the signed-in path, session and user loaded",
    )
    parser.add_argument(
        "--settings", default="prep.settings", help="settings module, to try a variation"
    )
    args = parser.parse_args()
    if urlparse(args.database_url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("--database-url must point at 127.0.0.1")
    if not urlparse(args.database_url).scheme.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    if not 1 <= args.candidates <= 100_000 or not 1 <= args.duration <= 300:
        parser.error("--candidates must be 1 to 100000 and --duration 1 to 300 seconds")
    if args.connections < args.wrk_threads or args.rate < 1:
        parser.error("--connections must be at least --wrk-threads, and --rate 1 or more")
    try:
        args.configs = [tuple(int(n) for n in c.split("x")) for c in args.configs.split(",")]
    except ValueError:
        parser.error("--configs looks like 3x1,2x4 (workers x threads)")
    if any(len(c) != 2 or min(c) < 1 or max(c) > 32 for c in args.configs):
        parser.error("--configs: workers and threads between 1 and 32")
    if not subprocess.run(["sh", "-c", "command -v wrk"], capture_output=True).stdout:
        parser.error("wrk is not installed: apt-get install -y wrk")
    if port_in_use(args.port):
        parser.error(f"something already listens on 127.0.0.1:{args.port}: choose --port")
    return args


def production_env(database_url: str, settings: str = "prep.settings") -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "False",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",  # drafts queue nothing; keep the broker out of the measurement
    }


def create_candidates(count: int) -> list[tuple[str, str, str, str]]:
    """`count` candidates, each with a round, an open answer and a session: (session key,
    CSRF secret, autosave path, the answer page's autosave token) per candidate."""
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from questions.models import Question
    from rounds import autosave
    from rounds.models import Answer, Round

    if not Question.objects.filter(is_published=True).exists():
        call_command("import_bank", verbosity=0)
    question = Question.objects.filter(is_published=True).order_by("pk").first()
    now = timezone.now()
    with transaction.atomic():
        User.objects.filter(username__startswith=PREFIX).delete()
        users = User.objects.bulk_create(
            User(username=f"{PREFIX}{i:05d}", role="candidate", password="!") for i in range(count)
        )
        rounds = Round.objects.bulk_create(Round(candidate=u, kinds=[question.kind]) for u in users)
        answers = Answer.objects.bulk_create(
            Answer(
                candidate=u,
                round=r,
                question=question,
                kind=question.kind,
                prompt=question.prompt,
                time_limit_seconds=3600,
                started_at=now,
                deadline=now + timedelta(hours=1),
            )
            for u, r in zip(users, rounds, strict=True)
        )
        store = SessionStore()
        sessions = [
            Session(
                session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
                session_data=store.encode(
                    {
                        SESSION_KEY: str(u.pk),
                        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                        HASH_SESSION_KEY: u.get_session_auth_hash(),
                    }
                ),
                expire_date=now + timedelta(hours=2),
            )
            for u in users
        ]
        Session.objects.bulk_create(sessions)
    return [
        (
            s.session_key,
            get_random_string(32),
            reverse("practice:draft", args=[a.round_id, a.pk]),
            autosave.sign(s.session_key, a.candidate_id, a.pk),
        )
        for s, a in zip(sessions, answers, strict=True)
    ]


def delete_candidates(targets: list[tuple[str, str, str, str]]) -> None:
    from django.contrib.sessions.models import Session

    from accounts.models import User

    Session.objects.filter(session_key__in=[t[0] for t in targets]).delete()
    User.objects.filter(username__startswith=PREFIX).delete()


def start_gunicorn(env: dict, workers: int, threads: int, port: int, log: Path):
    command = [sys.executable, "-m", "gunicorn", "prep.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads)]
    command += ["--worker-class", "gthread" if threads > 1 else "sync"]
    command += ["--backlog", "2048", "--graceful-timeout", "5"]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_serving(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        if port_in_use(port):
            return
        time.sleep(0.2)
    sys.exit(f"gunicorn did not listen on 127.0.0.1:{port} within 30 s")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    # The fields after "(command)": state, ppid, ..., utime and stime at 11 and 12.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == parent:
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    times = {}
    for pid in pids:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return times


class CpuMeter:
    """CPU time used by gunicorn's workers and by the PostgreSQL backends of the bench
    database between start() and stop(): the machine is shared, so wall-clock rates alone
    say little about what a request costs."""

    def __init__(self, database_url: str, gunicorn: subprocess.Popen):
        import psycopg

        self.gunicorn = gunicorn
        self.conn = psycopg.connect(database_url, autocommit=True, connect_timeout=5)

    def pids(self) -> tuple[list[int], list[int]]:
        backends = self.conn.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        return children(self.gunicorn.pid), [row[0] for row in backends]

    def start(self) -> None:
        app, db = self.pids()
        self.before = cpu_seconds(app), cpu_seconds(db)

    def stop(self) -> tuple[float, float]:
        """CPU seconds of (gunicorn, PostgreSQL) since start(); new processes count whole."""
        app, db = self.pids()
        return tuple(
            sum(t - before.get(pid, 0.0) for pid, t in cpu_seconds(pids).items())
            for pids, before in zip((app, db), self.before, strict=True)
        )

    def close(self) -> None:
        self.conn.close()


def wrk(
    args,
    targets_file: Path,
    meter: CpuMeter | None = None,
    *,
    rate: int = 0,
    connections: int | None = None,
) -> Result:
    env = os.environ | {
        "BENCH_TARGETS": str(targets_file),
        "BENCH_RATE": str(rate),
        "BENCH_THREADS": str(args.wrk_threads),
    }
    command = ["wrk", "--threads", str(args.wrk_threads)]
    command += ["--connections", str(connections or args.connections)]
    command += ["--duration", f"{args.duration}s", "--timeout", "5s", "--script", str(LUA)]
    command.append(f"http://127.0.0.1:{args.port}")
    if meter:
        meter.start()
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=args.duration + 30
    )
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    app_cpu, db_cpu = meter.stop() if meter else (0.0, 0.0)
    wrk_cpu = sum(getattr(wrk_after, f) - getattr(wrk_before, f) for f in ("ru_utime", "ru_stime"))
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if out.returncode or line is None:
        sys.exit(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(data[k] for k in data if k.endswith("_errors") or k == "timeouts")
    per_request = 1000 / max(data["requests"], 1)
    return Result(
        rate=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        errors=errors,
        app_cpu_ms=app_cpu * per_request,
        db_cpu_ms=db_cpu * per_request,
        wrk_cpu_ms=wrk_cpu * per_request,
    )


def check_one_save(port: int, target: tuple[str, str, str, str], token: bool) -> None:
    """One autosave by hand before measuring, so a misconfiguration fails loudly, not as
    thousands of fast 403s."""
    import http.client

    session, csrf, path, autosave_token = target
    body = "text=checking+the+setup" + (f"&autosave_token={quote(autosave_token)}" if token else "")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    if response.status != 200 or "Saved at" not in body:
        sys.exit(f"the autosave check got {response.status}:\n{body[:2000]}")


def main() -> None:
    args = parse_args()
    unwind_on_sigterm()
    create_database(args.database_url)
    env = production_env(args.database_url, "bench_floor_settings" if args.floor else args.settings)
    if args.floor:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT / "scripts"), env.get("PYTHONPATH")])
        )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    # Production settings use the manifest storage, which needs collected static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    targets = create_candidates(args.candidates)
    connection.close()
    workdir = Path(tempfile.mkdtemp(prefix="prep-autosave-"))
    autosave_file, healthz_file = workdir / "autosave.txt", workdir / "healthz.txt"
    autosave_file.write_text(
        "".join(f"{s} {c} {p} {quote(t) if args.token else '-'}\n" for s, c, p, t in targets)
    )
    healthz_file.write_text("x x\n")
    floor_file = workdir / "floor.txt"
    floor_file.write_text("".join(f"{s} {c} /bench-floor/ -\n" for s, c, _, _ in targets))

    print(f"{args.candidates} candidates; wrk {args.wrk_threads} threads, {args.duration} s a run")
    print(f"{os.cpu_count()} CPUs; gunicorn, wrk and PostgreSQL share them")
    results = []
    try:
        for workers, threads in args.configs:
            log = workdir / f"gunicorn-{workers}x{threads}.log"
            gunicorn = start_gunicorn(env, workers, threads, args.port, log)
            meter = None
            try:
                wait_until_serving(args.port, gunicorn, log)
                check_one_save(args.port, targets[0], args.token)
                meter = CpuMeter(args.database_url, gunicorn)
                wrk(args, healthz_file, connections=args.wrk_threads)  # warm every worker up
                healthz = wrk(args, healthz_file, meter)
                floor = wrk(args, floor_file, meter) if args.floor else None
                autosave = wrk(args, autosave_file, meter)
                # Paced: one connection per 5 req/s, spread like many candidates' tabs.
                paced = wrk(
                    args, autosave_file, meter, rate=args.rate, connections=args.rate // 5 + 2
                )
            finally:
                if meter:
                    meter.close()
                stop(gunicorn)
            kind = "gthread" if threads > 1 else "sync"
            print(f"\ngunicorn {workers} workers x {threads} threads ({kind}):")
            print(healthz.lines(f"GET /healthz, {args.connections} conns"))
            if floor:
                print(floor.lines(f"bare UPDATE, {args.connections} conns"))
            print(autosave.lines(f"autosave, {args.connections} conns"))
            print(paced.lines(f"autosave paced {args.rate}/s"))
            ratio = autosave.rate / healthz.rate
            print(
                f"  autosave / healthz: {ratio:.2f} measured, "
                f"{autosave.ceiling / healthz.ceiling:.2f} by CPU time; CPU-bound ceiling "
                f"on {os.cpu_count()} CPUs: autosave {autosave.ceiling:.0f} req/s, "
                f"healthz {healthz.ceiling:.0f} req/s"
            )
            if floor:
                print(f"  autosave / bare UPDATE: {autosave.rate / floor.rate:.2f}")
            results.append((workers, threads, floor, autosave, paced, ratio))
    finally:
        delete_candidates(targets)
        shutil.rmtree(workdir, ignore_errors=True)

    workers, threads, floor, autosave, paced, _ = max(results, key=lambda r: r[3].rate)
    met = (
        autosave.rate >= GOAL_RATE
        and paced.p99_ms < GOAL_P99_MS
        and paced.rate >= 0.95 * args.rate
        and not (autosave.errors or paced.errors or (floor and floor.errors))
    )
    share = f", {autosave.rate / floor.rate:.2f} of the bare-UPDATE floor" if floor else ""
    print(
        f"\nbest: {workers}x{threads}: autosave {autosave.rate:.0f} req/s at most, p99 "
        f"{paced.p99_ms:.1f} ms at {paced.rate:.0f} req/s{share}"
    )
    print(
        f"goal (>= {GOAL_RATE} req/s, p99 < {GOAL_P99_MS} ms at {args.rate} req/s, no errors): "
        f"{'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
