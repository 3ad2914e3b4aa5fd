"""The labelled sets scored straight from the fixtures (no database), for the quality gate and
for tuning: `python -m tests.scorer_sets [--show-errors] [SET ...]` prints each set's figures."""

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from scoring.evaluation import Counts, confusion, format_table
from scoring.heuristic import HeuristicScorer
from scoring.heuristic.fixture_specs import FIXTURES, failure_mode_specs, rubric_specs
from scoring.types import QuestionSpec, RubricSpec, Scorer

DATA = Path(__file__).parent / "data"

# The sets the rules were tuned on (heuristic-7).
RULES_TUNED = (
    "dev",
    "holdout",
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "fresh8",
)
# The sets the quality gate holds the current version (rules and learned layer) to. Heuristic-9
# also trains on fresh12 to fresh14, which are not gated: their authors' labels include modes
# their question's rubric does not score.
TUNED = (*RULES_TUNED, "fresh9", "fresh10", "fresh11")


def set_names() -> list[str]:
    """Every labelled set in tests/data, by the name after `scorer_`."""
    return sorted(p.stem.removeprefix("scorer_") for p in DATA.glob("scorer_*.jsonl"))


def load_rows(name: str) -> list[dict]:
    path = DATA / f"scorer_{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _questions() -> dict[str, tuple[str, QuestionSpec]]:
    out = {}
    for path in sorted((FIXTURES / "questions").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item["model"] != "questions.question":
                continue
            f = item["fields"]
            out[f["slug"]] = (
                f["rubric"][0],
                QuestionSpec(
                    kind=f["kind"],
                    prompt=f["prompt"],
                    slug=f["slug"],
                    context=f.get("context", ""),
                    time_limit_seconds=f.get("time_limit_seconds"),
                ),
            )
    return out


def specs_for_rows(rows: Iterable[dict]) -> list[tuple[RubricSpec, QuestionSpec]]:
    """The rubric and question each row is scored with, as eval_scorer picks them."""
    rubrics, questions = rubric_specs(), _questions()
    out = []
    for row in rows:
        if row.get("question"):
            slug, question = questions[row["question"]]
            if row.get("prompt"):
                question = QuestionSpec(
                    kind=question.kind,
                    prompt=row["prompt"],
                    slug=question.slug,
                    context=question.context,
                    time_limit_seconds=question.time_limit_seconds,
                )
            out.append((rubrics[slug], question))
        else:
            out.append(
                (
                    rubrics[f"default:{row['kind']}"],
                    QuestionSpec(kind=row["kind"], prompt=row.get("prompt") or ""),
                )
            )
    return out


def predictions(rows: list[dict], scorer: Scorer | None = None) -> list[set[str]]:
    scorer = scorer or HeuristicScorer()
    return [
        {f.key for f in scorer.score(rubric, question, row["answer"]).failure_modes}
        for row, (rubric, question) in zip(rows, specs_for_rows(rows), strict=True)
    ]


def evaluate(rows: list[dict], scorer: Scorer | None = None) -> tuple[dict[str, Counts], Counts]:
    found = predictions(rows, scorer)
    pairs = [(set(r["failure_modes"]), f) for r, f in zip(rows, found, strict=True)]
    return confusion(pairs, sorted(failure_mode_specs()))


def main(argv: list[str]) -> None:
    show = "--show-errors" in argv
    names = [a for a in argv if not a.startswith("--")] or set_names()
    pooled: list[dict] = []
    for name in names:
        rows = load_rows(name)
        pooled += rows
        _, micro = evaluate(rows)
        print(
            f"{name:<10} {len(rows):>4}  P {micro.precision:.3f}  R {micro.recall:.3f}"
            f"  F1 {micro.f1:.3f}"
        )
        if show:
            for i, (row, f) in enumerate(zip(rows, predictions(rows), strict=True), 1):
                exp = set(row["failure_modes"])
                if exp != f:
                    print(f"  {name}:{i} missed {sorted(exp - f)} extra {sorted(f - exp)}")
    per_key, micro = evaluate(pooled)
    print(format_table(per_key, micro))


if __name__ == "__main__":
    main(sys.argv[1:])
