"""How the question's words alone (coverage, scoring/fit.py) judge answers of every length.

    .venv/bin/python scripts/coverage_bars.py [tests/data/graded_*.jsonl ...]

Coverage alone decides for ad-hoc prompts and for questions added since relevance.json was
fitted. This reads every graded answer as if its question were one of those (the bank's prompt
and context, no slug), whole and cut to its first 60 to 200 words, and prints how often genuine
answers (grades 2-5) are judged off topic or capped as "in passing", and how often off-topic
ones (grade 1) are caught. The scorer is pure, so no database is needed.
"""

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.fit import question_fit  # noqa: E402
from scoring.heuristic.fixture_specs import bank_questions, question_spec  # noqa: E402

CUTS = (60, 90, 120, 150, 200, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    files = parser.parse_args().files or sorted((ROOT / "tests" / "data").glob("graded_*.jsonl"))
    questions = {
        q["slug"]: dataclasses.replace(question_spec(q), slug=None) for q in bank_questions()
    }
    counts = {cut: {"genuine": [0, 0, 0], "off": [0, 0]} for cut in CUTS}
    for path in files:
        for line in path.read_text().splitlines():
            row = json.loads(line)
            question = questions.get(row.get("question") or "")
            if question is None or "grade" not in row:
                continue
            words = row["answer"].split()
            for cut in CUTS:
                if cut and len(words) <= cut:
                    continue
                verdict = question_fit(question, " ".join(words[:cut])).verdict
                if row["grade"] == 1:
                    counts[cut]["off"][0] += 1
                    counts[cut]["off"][1] += verdict == "off_topic"
                else:
                    genuine = counts[cut]["genuine"]
                    genuine[0] += 1
                    genuine[1] += verdict == "off_topic"
                    genuine[2] += verdict != "answers"
    print(f"{len(files)} files; coverage alone (no relevance model)")
    header = ("cut to", "genuine", "off topic", "capped", "off-topic", "caught")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (10, 8, 10, 8, 10, 7), strict=True)))
    for cut, c in counts.items():
        n, off, capped = c["genuine"]
        m, caught = c["off"]
        label = f"{cut} words" if cut else "whole"
        print(
            f"{label:>10} {n:>8} {off / max(n, 1):>10.1%} {capped / max(n, 1):>8.1%}"
            f" {m:>10} {caught / max(m, 1):>7.1%}"
        )


if __name__ == "__main__":
    main()
