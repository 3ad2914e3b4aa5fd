"""How relevance's P(off topic) separates short answers, by length, at each bar.

    .venv/bin/python scripts/short_answer_bars.py [FILE.jsonl ...]

`scoring.fit.SHORT_THRESHOLDS` were chosen on long answers cut short. This reads answers that
were written short (default: tests/data/fit/st*.jsonl, 120-199-word behavioral stories, half on
topic and half fitting another prompt) and prints, per length band, how many genuine answers
(grade 2 to 5) and off-topic ones (grade 1) reach each bar, and what the shipped verdicts give.
Once relevance.json is fitted on these files, their figures flatter it. No database is needed.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.fit import question_fit  # noqa: E402
from scoring.heuristic.fixture_specs import bank_questions, question_spec  # noqa: E402
from scoring.relevance import relevance_model  # noqa: E402

BANDS = ((0, 120), (120, 150), (150, 175), (175, 200), (200, 10_000))
BARS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    files = parser.parse_args().files or sorted((ROOT / "tests" / "data" / "fit").glob("st*.jsonl"))
    model = relevance_model()
    if model is None:
        sys.exit("scoring/relevance.json is missing")
    questions = {q["slug"]: q for q in bank_questions()}
    rows = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            fields = questions.get(row["question"])
            if fields is None or not model.knows(row["question"]):
                continue
            answer = row["answer"]
            p = model.relevance(row["question"], answer).off_topic
            verdict = question_fit(question_spec(fields), answer).verdict
            rows.append((len(answer.split()), row["grade"] == 1, p, verdict))
    print(f"{len(rows)} answers from {len(files)} files; genuine / off topic reaching each bar")
    print(f"{'words':>9} {'genuine':>8} {'off':>5} | " + " | ".join(f"P>={b:<4}" for b in BARS))
    for low, high in BANDS:
        band = [r for r in rows if low <= r[0] < high]
        if not band:
            continue
        genuine = [r for r in band if not r[1]]
        off = [r for r in band if r[1]]
        cells = [f"{sum(r[2] >= b for r in genuine)}/{sum(r[2] >= b for r in off)}" for b in BARS]
        label = f"{low}-{high - 1}" if high < 10_000 else f"{low}+"
        print(
            f"{label:>9} {len(genuine):>8} {len(off):>5} | " + " | ".join(f"{c:>7}" for c in cells)
        )
    genuine = [r for r in rows if not r[1]]
    off = [r for r in rows if r[1]]
    print(
        f"shipped verdicts: {sum(r[3] == 'off_topic' for r in genuine)} of {len(genuine)} genuine "
        f"judged off topic, {sum(r[3] == 'off_topic' for r in off)} of {len(off)} off topic caught"
    )


if __name__ == "__main__":
    main()
