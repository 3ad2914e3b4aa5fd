#!/usr/bin/env python
"""Time from submit to stored feedback through a real worker, Redis and PostgreSQL.

Starts its own Celery worker on 127.0.0.1, submits answers the way the round view does (save,
then queue on commit) at a steady rate, waits for every feedback row and prints p50 and p95
of feedback.created_at - answer.submitted_at. It stops the worker and deletes its answers when
it is done, and gives up after --timeout seconds whatever happens.

    .venv/bin/python scripts/bench_pipeline.py            # 200 answers, 20 per second
    .venv/bin/python scripts/bench_pipeline.py --rate 0   # all at once: a burst

It uses its own database (created and migrated if missing) and flushes its own Redis db.
"""

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from benchkit import create_database, stop  # scripts/ is on sys.path when a script runs

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "data" / "scorer_dev.jsonl"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20, help="answers per second; 0: a burst")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--scorer", default="heuristic", choices=["heuristic", "llm"])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/prep_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--timeout", type=float, default=180, help="give up after this long")
    args = parser.parse_args()
    for name in ("database_url", "redis_url"):
        host = urlparse(getattr(args, name)).hostname
        if host not in LOOPBACK:
            parser.error(f"--{name.replace('_', '-')} must point at 127.0.0.1, not {host}")
    if not urlparse(args.database_url).scheme.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    if args.answers < 1 or args.concurrency < 1 or args.rate < 0:
        parser.error("--answers and --concurrency must be 1 or more, --rate 0 or more")
    return args


def start_worker(env: dict[str, str], concurrency: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "prep", "worker", "--pool", "prefork"]
    command += ["--concurrency", str(concurrency), "-Q", "celery,heuristic,llm"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["--loglevel", "INFO", "--hostname", "bench@%h"]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until(condition, deadline: float, what: str, worker: subprocess.Popen, log: Path):
    while time.monotonic() < deadline:
        if value := condition():
            return value
        if worker.poll() is not None:
            sys.exit(f"the worker stopped:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)
    sys.exit(f"gave up waiting for {what}; worker log:\n{log.read_text()[-3000:]}")


def answer_texts() -> dict[str, list[str]]:
    """Real answers from the scorer dev set by kind, so the scorer does realistic work."""
    texts: dict[str, list[str]] = {}
    if DEV_SET.exists():
        for line in DEV_SET.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                texts.setdefault(row["kind"], []).append(row["answer"])
    return texts


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main() -> None:
    args = parse_args()
    deadline = time.monotonic() + args.timeout
    create_database(args.database_url)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "prep.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "True",
        "SCORER": args.scorer,
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from feedback.models import Feedback
    from feedback.tasks import request_scoring
    from questions.models import Question
    from rounds.models import Answer

    call_command("migrate", verbosity=0)
    if not Question.objects.exists():
        call_command("import_bank", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench", defaults={"role": "candidate"})
    questions = list(Question.objects.select_related("rubric").order_by("pk"))
    texts = answer_texts()
    fallback = ["We start with one market, track day-7 retention against a holdout."]
    pool = itertools.cycle(questions)
    redis.Redis.from_url(args.redis_url).flushdb()

    def submit(question: Question) -> Answer:
        choices = texts.get(question.kind) or fallback
        with transaction.atomic():
            answer = Answer.objects.create(
                candidate=user,
                question=question,
                kind=question.kind,
                prompt=question.prompt,
                text=choices[question.pk % len(choices)],
                time_limit_seconds=question.time_limit_seconds,
                submitted_at=timezone.now(),
            )
            request_scoring(answer, args.scorer)
        return answer

    def all_scored(answers: list[Answer]) -> bool:
        return Feedback.objects.filter(answer__in=answers).count() >= len(answers)

    log = Path(tempfile.mkdtemp(prefix="bench-")) / "worker.log"
    worker = start_worker(env, args.concurrency, log)
    created: list[Answer] = []
    try:
        wait_until(lambda: " ready." in log.read_text(), deadline, "the worker", worker, log)
        # Warm up: the pool processes import the scorer on their first task.
        warm = [submit(next(pool)) for _ in range(args.concurrency * 2)]
        created += warm
        wait_until(lambda: all_scored(warm), deadline, "warm-up feedback", worker, log)

        measured: list[Answer] = []
        started = time.monotonic()
        for i in range(args.answers):
            if args.rate:
                time.sleep(max(0.0, started + i / args.rate - time.monotonic()))
            measured.append(submit(next(pool)))
        created += measured
        submitted_in = time.monotonic() - started
        wait_until(lambda: all_scored(measured), deadline, "all feedback", worker, log)
        elapsed = time.monotonic() - started

        stored = dict(
            Feedback.objects.filter(answer__in=measured).values_list("answer_id", "created_at")
        )
        latencies = sorted((stored[a.pk] - a.submitted_at).total_seconds() for a in measured)
        feedback = Feedback.objects.filter(answer__in=measured)
        scoring_ms = sorted(feedback.values_list("duration_ms", flat=True))
        errors = feedback.exclude(error="").count()
    finally:
        stop(worker)
        Answer.objects.filter(pk__in=[a.pk for a in created]).delete()

    rate = f"{args.rate:g}/s" if args.rate else "one burst"
    p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
    print(f"{len(latencies)} answers, {args.scorer} scorer, {args.concurrency} worker processes")
    print(f"submitted at {rate} in {submitted_in:.1f} s; all scored after {elapsed:.1f} s")
    print(f"submit -> stored feedback: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms,")
    print(f"  p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms, errors {errors}")
    print(
        f"of which the scorer itself: p50 {percentile(scoring_ms, 50):.0f} ms,"
        f" p95 {percentile(scoring_ms, 95):.0f} ms"
    )
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"goal p95 < 1 s: {'met' if p95 < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
