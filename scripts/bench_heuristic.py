"""How many 300-word answers the heuristic scorer scores per second on one core.

    .venv/bin/python scripts/bench_heuristic.py [--answers 600] [--words 300]

The scorer is pure, so this builds its inputs straight from the fixtures (no database) and
scores varied synthetic answers for every kind with that kind's default rubric. It pins itself
to one CPU where the OS allows, and reports wall-clock and CPU-time rates (the CPU figure is
the fairer one on a busy machine). The rules alone (`HeuristicScorer(learned=False)`, what
heuristic-7 ran) are measured in the same run, rounds interleaved, and the ratio printed.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.heuristic import HeuristicScorer  # noqa: E402
from scoring.heuristic.fixture_specs import bank_questions, question_spec, rubric_specs  # noqa: E402
from scoring.types import QuestionSpec, RubricSpec  # noqa: E402

# Sentences of every sort an answer is made of: good structure, failure cues, filler.
SENTENCES = [
    "The user I would focus on is the new creator who posted once and then stopped.",
    "Their pain is that they post into silence and never learn why nobody watched.",
    "I'd build a feedback card after the first post that shows where viewers dropped off.",
    "Success is the share of these creators who post a second video within 14 days.",
    "We would run it against a randomised holdout and aim for a lift of 5 points.",
    "Rather than counting views, we would watch day-7 retention of the exposed cohort.",
    "I would launch a geo-targeted beta in one market before any global push.",
    "If the beta clears 3% conversion after four weeks, then we expand to two more markets.",
    "We should roll this out globally with a massive PR push on day one.",
    "Success means ten million views and trending in every country that week.",
    "Once the product team ships the feature, my team will create the campaign.",
    "I'd work with product during the design phase so sharing is built into the flow.",
    "There are good arguments on both sides and honestly it depends on leadership.",
    "My recommendation is to go ahead with the pilot and decide again in six weeks.",
    "We could target every segment at the same time and build all five features in parallel.",
    "I'd start with sellers in one category and leave the other categories out for now.",
    "First I'd check whether the drop is real: logging, the pipeline, a definition change.",
    "Then I'd segment by platform, app version, country and new versus existing users.",
    "It's probably just seasonality, so I would wait for the quarterly business review.",
    "Leading indicators I'd read daily are tap-through and checkout completion.",
    "We worked really hard as a team and in the end everyone was happy with it.",
    "I rewrote the onboarding plan and convinced the data lead to run the test with me.",
    "Activation rose from 20% to 26% in six weeks, and I presented it to the exec team.",
    "What I learned is to agree the success metric with data science before the test.",
    "The model uses a larger transformer architecture with lower latency on more GPUs.",
    "Older users in small cities kept calling support because card payment confused them.",
    "We'd compare purchases per thousand viewers with a matched city as control.",
    "The goal for the first year is brand awareness and buzz around the launch.",
    "I would not open it to every creator at once; a small test comes first.",
    "Annual revenue and end-of-year churn are the numbers that matter to finance.",
]


def _specs() -> dict[str, RubricSpec]:
    """Each kind's default rubric, read from the fixtures."""
    specs = rubric_specs()
    return {key.split(":", 1)[1]: spec for key, spec in specs.items() if key.startswith("default:")}


def _answer(rng: random.Random, words: int) -> str:
    picked: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(SENTENCES)
        picked.append(sentence)
        count += len(sentence.split())
    return " ".join(" ".join(picked).split()[:words])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=600, help="How many answers to score.")
    parser.add_argument("--words", type=int, default=300, help="Words per answer.")
    parser.add_argument("--repeat", type=int, default=5, help="Rounds; the best one counts.")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    specs = _specs()
    rng = random.Random(7)
    kinds = sorted(specs)
    # A bank question of each kind, so question fit runs relevance.py as it does in a round.
    questions: dict[str, QuestionSpec] = {}
    for fields in sorted(bank_questions(), key=lambda q: q["slug"]):
        questions.setdefault(fields["kind"], question_spec(fields))
    work = [
        (specs[kind], questions[kind], _answer(rng, args.words))
        for kind in (kinds[i % len(kinds)] for i in range(args.answers))
    ]
    scorers = {"rules only": HeuristicScorer(learned=False), "full": HeuristicScorer()}
    version = scorers["full"].version
    for scorer in scorers.values():
        for rubric, question, answer in work[: len(kinds)]:  # compile each rubric's detectors
            scorer.score(rubric, question, answer)

    rounds: dict[str, list[tuple[float, float]]] = {name: [] for name in scorers}
    for _ in range(args.repeat):
        for name, scorer in scorers.items():
            wall, cpu = time.perf_counter(), time.process_time()
            for rubric, question, answer in work:
                scorer.score(rubric, question, answer)
            rounds[name].append((time.perf_counter() - wall, time.process_time() - cpu))

    n = len(work)
    print(f"heuristic-{version}: {n} answers of {args.words} words, {args.repeat} rounds")
    best_cpu = {}
    for label, times_of in rounds.items():
        print(f"  {label}:")
        for name, times in (
            ("wall clock", [w for w, _ in times_of]),
            ("CPU time", [c for _, c in times_of]),
        ):
            best, median = min(times), statistics.median(times)
            print(
                f"    {name:10}: best {n / best:7.1f} answers/s ({best * 1000 / n:.2f} ms each), "
                f"median {n / median:7.1f} answers/s"
            )
        best_cpu[label] = min(c for _, c in times_of)
    ratio = best_cpu["rules only"] / best_cpu["full"]
    print(f"  full / rules only (best CPU time rates): {ratio:.3f}")
    print("  goal: 300 answers/s on one core")
    print(f"  machine check: a 3M-step Python loop took {_reference():.3f} s of CPU here")


def _reference() -> float:
    """A fixed pure-Python workload, to tell a slow or busy machine from a slow scorer."""
    best = float("inf")
    for _ in range(3):
        started, total = time.process_time(), 0
        for i in range(3_000_000):
            total += i
        best = min(best, time.process_time() - started)
    return best


if __name__ == "__main__":
    main()
