"""Score every question's exemplary answer with the heuristic scorer, straight from the fixtures.

    .venv/bin/python scripts/score_exemplars.py [--kind gtm] [--detail] [SLUG ...]

One line per question: overall, words, failure modes found, and the lowest criterion with its
rationale. An exemplar must reach the bar (overall >= 4.5, no failure mode); --detail also prints
every criterion and the passages it credited. Exits 1 when an exemplar shown misses the bar.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.heuristic import HeuristicScorer  # noqa: E402
from scoring.heuristic.fixture_specs import (  # noqa: E402
    bank_questions,
    question_spec,
    rubric_specs,
)
from scoring.heuristic.text import word_count  # noqa: E402

BAR = 4.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="*")
    parser.add_argument("--kind", action="append", help="only this kind (repeatable)")
    parser.add_argument("--detail", action="store_true", help="every criterion and its passages")
    args = parser.parse_args()
    rubrics, scorer = rubric_specs(), HeuristicScorer()
    below, missing, shown = [], [], 0
    for fields in bank_questions():
        if args.kind and fields["kind"] not in args.kind:
            continue
        if args.slugs and fields["slug"] not in args.slugs:
            continue
        text = fields.get("exemplary_answer", "")
        if not text:
            missing.append(fields["slug"])
            continue
        shown += 1
        result = scorer.score(rubrics[fields["rubric"][0]], question_spec(fields), text)
        modes = [f.key for f in result.failure_modes]
        low = min(result.criteria, key=lambda c: c.score)
        ok = result.overall >= BAR and not modes
        if not ok:
            below.append(fields["slug"])
        print(
            f"{'ok ' if ok else 'LOW'} {result.overall:4.2f} {word_count(text):>4}w "
            f"{fields['kind']:<13} {fields['slug']:<52} fm={','.join(modes) or '-'} "
            f"low={low.key}:{low.score} ({low.rationale}) fit={result.fit.get('coverage', 0):.2f}"
        )
        if args.detail:
            for c in result.criteria:
                print(f"      {c.score} {c.label}: {c.rationale}")
                for e in c.evidence:
                    print(f"          “{e.quote}”")
            for f in result.failure_modes:
                print(f"      FM {f.key}: {[e.quote for e in f.evidence]}")
    print(f"\n{shown - len(below)} of {shown} exemplars reach {BAR} with no failure mode.")
    if below:
        print("Below the bar: " + ", ".join(below))
    if missing:
        print(f"No exemplar yet ({len(missing)}): " + ", ".join(missing))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
