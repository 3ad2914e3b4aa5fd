#!/usr/bin/env python
"""A Locust load test: candidates working through mock rounds against gunicorn with production
settings on PostgreSQL, with a Celery worker on Redis scoring what they submit.

Creates (or reuses) its own database and gives --users candidates a three-question round and a
signed-in session each (written straight into the session table: signing 500 people in would
measure only the password hasher). It flushes its own Redis db, starts a Celery worker on it
and gunicorn on 127.0.0.1 with DEBUG off, and runs Locust headless (scripts/locustfile.py) for
--duration seconds: page views, autosave every 5 s while typing, submits, feedback polls. It
prints requests/s, p50 and p99 of each kind of request, every error, the load average and the
CPU Locust itself used; then it stops Locust, gunicorn and the worker and deletes its
candidates, also on Ctrl-C or SIGTERM.

    .venv/bin/python scripts/load_test.py                          # 500 candidates for 60 s
    .venv/bin/python scripts/load_test.py --users 100 --duration 30 --gunicorn 3x4

Only ever talks to 127.0.0.1.
"""

import argparse
import csv
import io
import json
import math
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from benchkit import (  # scripts/ is on sys.path when a script runs
    create_database,
    port_in_use,
    stop,
    unwind_on_sigterm,
)

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "load-test-"
LOOPBACK = ("127.0.0.1", "localhost")
GOAL_P99_MS = 250


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=500, help="simulated candidates")
    parser.add_argument("--spawn-rate", type=float, default=10, help="candidates started per s")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/prep_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--gunicorn", default="2x4", help="WORKERSxTHREADS (gthread)")
    parser.add_argument("--worker-concurrency", type=int, default=1, help="Celery processes")
    args = parser.parse_args()
    for name in ("database_url", "redis_url"):
        if urlparse(getattr(args, name)).hostname not in LOOPBACK:
            parser.error(f"--{name.replace('_', '-')} must point at 127.0.0.1")
    if not urlparse(args.database_url).scheme.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    if not 1 <= args.users <= 5000 or not 1 <= args.duration <= 600 or args.spawn_rate <= 0:
        parser.error("--users 1 to 5000, --duration 1 to 600 seconds, --spawn-rate above 0")
    try:
        args.workers, args.threads = (int(n) for n in args.gunicorn.split("x"))
    except ValueError:
        parser.error("--gunicorn looks like 2x4 (workers x threads)")
    if not (1 <= args.workers <= 16 and 1 <= args.threads <= 32 and args.worker_concurrency >= 1):
        parser.error("--gunicorn: 1 to 16 workers of 1 to 32 threads")
    if port_in_use(args.port):
        parser.error(f"something already listens on 127.0.0.1:{args.port}: choose --port")
    return args


def production_env(args: argparse.Namespace, static_root: Path) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "prep.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "False",  # plain HTTP on the loopback
        "STATIC_ROOT": str(static_root),
        "SCORER": "heuristic",
        "LOG_LEVEL": "WARNING",
    }


def create_candidates(count: int) -> list[dict[str, str | int]]:
    """`count` candidates, each with a three-question round and a signed-in session."""
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from prep.lib.kinds import Kind
    from rounds import services

    delete_candidates()  # a run cut short by SIGKILL leaves its users behind
    store, expires = SessionStore(), timezone.now() + timedelta(hours=2)
    candidates = []
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(username=f"{PREFIX}{i:05d}", role="candidate", password="!") for i in range(count)
        )
        sessions = []
        for user in users:
            round_ = services.start_round(candidate=user, kinds=list(Kind.values), count=3)
            services.begin_round(round_=round_)  # past the ready screen: "Start the clock"
            key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            sessions.append(
                Session(session_key=key, session_data=store.encode(data), expire_date=expires)
            )
            candidates.append({"session": key, "csrf": get_random_string(32), "round": round_.pk})
        Session.objects.bulk_create(sessions)
    return candidates


def delete_candidates(candidates: list[dict] = ()) -> None:
    """The load test's users (their rounds and answers go with them) and the given sessions."""
    from django.contrib.sessions.models import Session

    from accounts.models import User

    Session.objects.filter(session_key__in=[c["session"] for c in candidates]).delete()
    User.objects.filter(username__startswith=PREFIX).delete()


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until(condition, what: str, process: subprocess.Popen, log: Path, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what}: the process stopped:\n{log.read_text()[-3000:]}")
        if condition():
            return
        time.sleep(0.2)
    sys.exit(f"gave up waiting for {what}:\n{log.read_text()[-3000:]}")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(group: int) -> float:
    """CPU time of the live processes in a process group (gunicorn or Celery and its children)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        try:
            # The fields after "(command)": state, ppid, pgrp, ..., utime and stime at 11 and 12.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group:
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def check_one_candidate(port: int, candidate: dict) -> None:
    """One candidate's question page by hand before the load, so a misconfiguration fails
    loudly instead of as thousands of redirects to the sign-in page."""
    cookie = f"sessionid={candidate['session']}; csrftoken={candidate['csrf']}"
    url = f"http://127.0.0.1:{port}/rounds/{candidate['round']}/"
    response = urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}))
    if "/answers/" not in response.url or 'name="autosave_token"' not in response.read().decode():
        sys.exit(f"the first candidate's round went to {response.url}, not a question page")


def warm_up(port: int, connections: int) -> None:
    """Every gunicorn process imports and compiles on its first requests: not what we measure.
    Several at once, so that they reach every process."""

    def get(path: str) -> None:
        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(get, ["/questions/", "/accounts/login/", "/healthz"] * 2 * connections))


def report(prefix: Path, args: argparse.Namespace, cpu: dict[str, float], load: list) -> bool:
    """Print requests/s, p50 and p99 per kind of request and every error; True when every kind
    had no errors and a p99 under the goal."""
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", newline="") as f:
        failures = list(csv.DictReader(f))
    print(
        f"\n{args.users} candidates for {args.duration} s once all had started "
        f"(at {args.spawn_rate:g}/s), "
        f"gunicorn {args.workers}x{args.threads}, {args.worker_concurrency} Celery process(es)\n"
    )
    print(f"  {'request':<24} {'count':>7} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7} {'errors':>7}")  # fmt: skip
    passed = True
    rows = [row for row in rows if int(row["Request Count"])]  # kinds seen only while starting
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        errors, p99 = int(row["Failure Count"]), float(row["99%"])
        ok = row["Name"] == "Aggregated" or (errors == 0 and p99 < GOAL_P99_MS)
        passed &= ok
        print(
            f"  {row['Name']:<24} {int(row['Request Count']):>7} {float(row['Requests/s']):>7.1f} "
            f"{float(row['50%']):>7.0f} {p99:>7.0f} {float(row['Max Response Time']):>7.0f} "
            f"{errors:>7}{'' if ok else '   <- over the goal'}"
        )
    for failure in failures:
        print(f"  error: {failure['Name']}: {failure['Error']} ({failure['Occurrences']}x)")
    print("\n  every 10 s (Locust's current figures, the last 10 s): users, req/s, p50, p99 ms")
    with open(f"{prefix}_stats_history.csv", newline="") as f:
        history = [r for r in csv.DictReader(f) if r["Name"] == "Aggregated" and r["50%"] != "N/A"]
    start = int(history[0]["Timestamp"]) if history else 0
    shown = -10
    for row in history:
        second = int(row["Timestamp"]) - start
        if second >= shown + 10:
            shown = second
            print(f"  {second:>5} s {int(row['User Count']):>6} {float(row['Requests/s']):>7.1f} "
                  f"{row['50%']:>7} {row['99%']:>7}")  # fmt: skip
    before, after = (" ".join(f"{n:.2f}" for n in averages) for averages in load)
    print(f"\n  load average {after} at the end ({before} before) on {os.cpu_count()} CPUs")
    used = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in cpu.items())
    print(f"  CPU time during the run: {used} (PostgreSQL and Redis not counted)")
    print(f"  goal: no errors and p99 under {GOAL_P99_MS} ms for every kind: "
          f"{'met' if passed else 'NOT met'}")  # fmt: skip
    return passed


def main() -> None:
    args = parse_args()
    unwind_on_sigterm()
    workdir = Path(tempfile.mkdtemp(prefix="prep-load-"))
    env = production_env(args, workdir / "static")
    create_database(args.database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_bank", "--if-empty", stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    redis.Redis.from_url(args.redis_url).flushdb()
    print(f"preparing {args.users} candidates in {urlparse(args.database_url).path[1:]} ...")
    candidates = create_candidates(args.users)
    (workdir / "candidates.json").write_text(json.dumps(candidates))

    processes: list[subprocess.Popen] = []
    passed = False
    try:
        worker_log = workdir / "worker.log"
        worker = start(
            [sys.executable, "-m", "celery", "-A", "prep", "worker", "-Q", "celery,heuristic,llm"]
            + ["--concurrency", str(args.worker_concurrency), "--loglevel", "INFO"]
            + ["--without-gossip", "--without-mingle", "--hostname", "load-test@%h"],
            env,
            worker_log,
        )
        processes.append(worker)
        wait_until(lambda: " ready." in worker_log.read_text(), "the worker", worker, worker_log)

        gunicorn_log = workdir / "gunicorn.log"
        gunicorn = start(
            [sys.executable, "-m", "gunicorn", "prep.wsgi", "--bind", f"127.0.0.1:{args.port}"]
            + ["--workers", str(args.workers), "--threads", str(args.threads)]
            + ["--worker-class", "gthread", "--backlog", "2048", "--graceful-timeout", "5"],
            env,
            gunicorn_log,
        )
        processes.append(gunicorn)
        wait_until(lambda: port_in_use(args.port), "gunicorn", gunicorn, gunicorn_log)
        check_one_candidate(args.port, candidates[0])
        warm_up(args.port, args.workers * args.threads)

        prefix = workdir / "locust"
        command = [sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile.py")]
        command += ["--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate)]
        # Statistics start once every candidate is in: --duration seconds of all of them.
        ramp = math.ceil(args.users / args.spawn_rate)
        command += ["--run-time", f"{ramp + args.duration}s", "--reset-stats"]
        command += ["--stop-timeout", "5"]
        command += ["--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix)]
        command += ["--only-summary", "--loglevel", "WARNING"]
        print(
            f"running Locust against 127.0.0.1:{args.port}: {ramp} s to start "
            f"{args.users} candidates, then {args.duration} s measured ..."
        )
        load = [os.getloadavg()]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        app_before = {p: group_cpu_seconds(p.pid) for p in (gunicorn, worker)}
        locust_log = workdir / "locust.log"
        locust = start(command, env | {"LOAD_CANDIDATES": str(workdir / "candidates.json")},
                       locust_log)  # fmt: skip
        processes.append(locust)
        try:
            locust.wait(timeout=ramp + args.duration + 60)
        except subprocess.TimeoutExpired:
            sys.exit(f"Locust did not finish:\n{locust_log.read_text()[-3000:]}")
        load.append(os.getloadavg())
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {
            "gunicorn": group_cpu_seconds(gunicorn.pid) - app_before[gunicorn],
            "Celery worker": group_cpu_seconds(worker.pid) - app_before[worker],
            "Locust": sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime")),
        }
        if not Path(f"{prefix}_stats.csv").exists():
            sys.exit(f"Locust wrote no statistics:\n{locust_log.read_text()[-3000:]}")
        passed = report(prefix, args, cpu, load)
        scored = django_count_feedback()
        print(f"  {scored} answers scored by the worker during the run; logs in {workdir}")
    finally:
        for process in reversed(processes):
            stop(process)
        delete_candidates(candidates)
        redis.Redis.from_url(args.redis_url).flushdb()
    sys.exit(0 if passed else 1)


def django_count_feedback() -> int:
    from feedback.models import Feedback

    return Feedback.objects.filter(answer__candidate__username__startswith=PREFIX).count()


if __name__ == "__main__":
    main()
