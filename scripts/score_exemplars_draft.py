"""Score the exemplary answers in the question fixtures with the heuristic scorer, without a
database: per question the overall score, the failure modes found and the weakest criteria with
their rationale. `python scripts/score_exemplars_draft.py [--all-criteria] [KIND|SLUG ...]`"""

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.heuristic import HeuristicScorer  # noqa: E402
from scoring.heuristic.fixture_specs import FIXTURES, rubric_specs  # noqa: E402
from scoring.types import QuestionSpec  # noqa: E402

PASS = 4.5


def questions() -> list[dict]:
    out = []
    for path in sorted((FIXTURES / "questions").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item["model"] == "questions.question":
                out.append(item["fields"])
    return out


def main(argv: list[str]) -> int:
    show_all = "--all-criteria" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    rubrics, scorer = rubric_specs(), HeuristicScorer()
    scores, failing, missing = [], [], []
    for f in questions():
        if wanted and f["kind"] not in wanted and f["slug"] not in wanted:
            continue
        answer = f.get("exemplary_answer")
        if not answer:
            missing.append(f["slug"])
            continue
        question = QuestionSpec(
            kind=f["kind"],
            prompt=f["prompt"],
            slug=f["slug"],
            context=f.get("context", ""),
            time_limit_seconds=f.get("time_limit_seconds"),
        )
        result = scorer.score(rubrics[f["rubric"][0]], question, answer)
        modes = [m.key for m in result.failure_modes]
        ok = result.overall >= PASS and not modes
        scores.append(result.overall)
        if not ok:
            failing.append(f["slug"])
        words = len(answer.split())
        print(f"{'ok  ' if ok else 'FAIL'} {result.overall:.2f} {f['slug']} ({words} words)")
        for m in result.failure_modes:
            quotes = "; ".join(e.quote for e in m.evidence)
            print(f"     failure {m.key}: {quotes}")
        ranked = sorted(result.criteria, key=lambda c: c.score)
        for c in ranked if show_all else [c for c in ranked if c.score < 5][:3]:
            print(f"     {c.score}/5 {c.key}: {c.rationale}")
        if result.summary:
            print(f"     summary: {result.summary}")
    if scores:
        print(
            f"\n{len(scores)} scored, {len(failing)} failing, min {min(scores):.2f}, "
            f"median {statistics.median(scores):.2f}, max {max(scores):.2f}"
        )
    if missing:
        print(f"{len(missing)} without an exemplary answer")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
