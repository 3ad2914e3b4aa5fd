#!/usr/bin/env python
"""Server time of the progress page, the plan page and the rounds list for one candidate with
500 scored answers, through Django's test Client (middleware, session, templates included).

    .venv/bin/python scripts/bench_progress.py                 # 500 answers, 200 runs a page
    .venv/bin/python scripts/bench_progress.py --answers 2000 --runs 100

It creates a throwaway PostgreSQL database (prep_bench_progress), migrates it, loads the bank,
gives one candidate rounds of three scored answers (bulk_create) spread over the past months,
times each page --runs times after a warm-up, prints the median and p95 and the queries per
page, and drops the database. The goal is under 50 ms each.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

from benchkit import create_database  # scripts/ is on sys.path when a script runs

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = ("127.0.0.1", "localhost", "::1")
GOAL_MS = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/prep_bench_progress"
    )
    args = parser.parse_args()
    url = urlparse(args.database_url)
    if url.hostname not in LOOPBACK or not url.scheme.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL on 127.0.0.1")
    if args.answers < 1 or args.runs < 1:
        parser.error("--answers and --runs must be 1 or more")
    return args


def drop_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def populate(answers: int, rng: random.Random):
    """One candidate with `answers` scored main answers in rounds of three, one round a day
    back from now, about one failure mode an answer (the kinds' own), five criteria each."""
    from django.utils import timezone

    from accounts.models import User
    from feedback.models import CriterionScore, FailureModeHit, Feedback
    from questions.models import Question
    from rounds.models import Answer, Round

    candidate = User.objects.create_user("bench-candidate", role="candidate")
    questions = list(Question.objects.filter(is_published=True).select_related("rubric"))
    criteria = {q.rubric_id: list(q.rubric.criteria.values_list("key", "label")) for q in questions}
    modes = {
        q.rubric_id: list(q.rubric.failure_modes.values_list("pk", flat=True)) for q in questions
    }
    now = timezone.now()
    rounds = Round.objects.bulk_create(
        Round(candidate=candidate, kinds=["gtm"], finished_at=now)
        for _ in range((answers + 2) // 3)
    )
    made = []
    for i in range(answers):
        round_ = rounds[i // 3]
        at = now - timedelta(days=len(rounds) - i // 3, minutes=-10 * (i % 3))
        question = rng.choice(questions)
        made.append(
            Answer(
                candidate=candidate,
                round=round_,
                position=i % 3 + 1,
                question=question,
                kind=question.kind,
                prompt=question.prompt,
                text="An answer.",
                time_limit_seconds=question.time_limit_seconds,
                started_at=at - timedelta(minutes=10),
                submitted_at=at,
                time_used_seconds=600,
            )
        )
    made = Answer.objects.bulk_create(made)
    feedback = Feedback.objects.bulk_create(
        Feedback(
            answer=answer,
            scorer="heuristic",
            scorer_version="7",
            rubric_id=answer.question.rubric_id,
            overall=Decimal(rng.choice(["1.50", "2.00", "2.75", "3.40", "4.00", "4.60"])),
            started_at=answer.submitted_at,
            duration_ms=20,
        )
        for answer in made
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(feedback=f, key=key, label=label, score=rng.randint(1, 5), order=n)
        for f, answer in zip(feedback, made, strict=True)
        for n, (key, label) in enumerate(criteria[answer.question.rubric_id])
    )
    hits = []
    for f, answer in zip(feedback, made, strict=True):
        options = modes[answer.question.rubric_id]
        for pk in rng.sample(options, k=min(len(options), rng.choice([0, 1, 1, 2]))):
            hits.append(FailureModeHit(feedback=f, failure_mode_id=pk))
    FailureModeHit.objects.bulk_create(hits)
    return candidate, len(rounds), len(hits)


def time_page(client, url: str, runs: int) -> tuple[list[float], list[float], int]:
    """Wall and CPU milliseconds of each run (CPU: this process, the PostgreSQL side not
    included; it stays meaningful when other work shares the machine), and the queries."""
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    for _ in range(5):
        client.get(url)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return wall, cpu, len(queries)


def main() -> None:
    args = parse_args()
    create_database(args.database_url)
    static_root = tempfile.TemporaryDirectory(prefix="bench-progress-static-")
    os.environ.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="prep.settings",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_COOKIES="False",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=static_root.name,
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    try:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest
        fixtures = ["fixtures/failure_modes.json", "fixtures/rubrics.json", "fixtures/tags.json"]
        fixtures += sorted(
            str(p.relative_to(ROOT)) for p in (ROOT / "fixtures/questions").glob("*.json")
        )
        call_command("import_bank", *fixtures, verbosity=0)
        candidate, rounds, hits = populate(args.answers, random.Random(7))
        print(
            f"one candidate: {args.answers} scored answers in {rounds} rounds, {hits} failure-mode "
            f"hits; {args.runs} runs a page after 5 warm-up runs"
        )
        client = Client()
        client.force_login(candidate)
        heads = ("median ms", 10), ("p95 ms", 8), ("CPU median", 11), ("CPU p95", 8), ("queries", 8)
        print(f"{'page':<12} " + " ".join(f"{h:>{w}}" for h, w in heads))
        for name, url in (
            ("progress", "/progress/"),
            ("plan", "/progress/plan/"),
            ("rounds list", "/rounds/"),
        ):
            wall, cpu, queries = time_page(client, url, args.runs)
            p95 = statistics.quantiles(wall, n=20)[-1]
            cpu_p95 = statistics.quantiles(cpu, n=20)[-1]
            verdict = "ok" if p95 < GOAL_MS else f"p95 over the {GOAL_MS} ms goal"
            print(
                f"{name:<12} {statistics.median(wall):>10.1f} {p95:>8.1f} "
                f"{statistics.median(cpu):>11.1f} {cpu_p95:>8.1f} {queries:>8}  {verdict}"
            )
        cores = os.cpu_count()
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {cores} cores")
    finally:
        connections.close_all()
        drop_database(args.database_url)
        static_root.cleanup()


if __name__ == "__main__":
    main()
