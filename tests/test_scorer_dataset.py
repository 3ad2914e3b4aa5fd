"""Checks on the labelled answer sets the scorer is tuned and judged on.

dev and holdout were written together (holdout kept unseen for the first tuning); fresh to fresh8
were written later by other authors, each kept unseen until a scorer version was final (fresh
until heuristic-4, fresh2 until heuristic-5, fresh3 to fresh5 until heuristic-6, fresh6 to
fresh8 until heuristic-7; the authors of fresh4 to fresh8 were kept from reading the scorer and
the other sets).

How the labels were applied, so that anyone adding lines labels the same way:
- a failure mode is labelled only when the answer clearly shows it, and only from the modes its
  kind's rubric scores; a strong answer has an empty list;
- what the question did not ask for is not a failure (a question about measuring a campaign needs
  no market choice);
- a metric with a target or baseline, or an experiment that says what it compares, is a
  measurement plan even when the metric is a vanity count (that answer is vanity_metrics only);
  "we could A/B test it" in passing, or "if it goes up", is not a plan;
- vanity words used to reject a metric, or kept as a secondary diagnostic beside an outcome
  metric, are not vanity_metrics; a staged launch gated on results is not premature_scaling;
- siloed_marketing needs marketing explicitly placed after the build, not merely unmentioned;
- no_recommendation is declining to choose; no_prioritization is choosing everything.

Most rows have question null and are scored with their kind's default rubric. Execution rows about
a metric change or conflicting data carry the slug of a bank diagnosis question instead, only so
that they are scored with the execution-diagnosis rubric (the one that scores no_diagnosis); their
own prompt is the question that was asked.
"""

import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from prep.lib.kinds import Kind
from tests.scorer_sets import TUNED

DATA = Path(__file__).parent / "data"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIELDS = {"kind", "question", "prompt", "answer", "failure_modes", "note"}
REQUIRED = {"kind", "question", "answer", "failure_modes"}


def _fixture(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


FAILURE_MODE_KEYS = {item["fields"]["key"] for item in _fixture("failure_modes.json")}
# Every labelled set in tests/data gets the hygiene checks; a new set needs no edit here.
SETS = sorted(p.stem.removeprefix("scorer_") for p in DATA.glob("scorer_*.jsonl"))


def scoring_rubrics() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Failure modes scored for each bank question slug and, for ad-hoc questions, each kind."""
    rubrics = [
        item["fields"] for item in _fixture("rubrics.json") if item["model"] == "rubrics.rubric"
    ]
    modes = {r["slug"]: {key for (key,) in r["failure_modes"]} for r in rubrics}
    by_kind = {r["kind"]: modes[r["slug"]] for r in rubrics if r["is_default"]}
    by_question = {}
    for path in sorted((FIXTURES / "questions").glob("*.json")):
        for item in _fixture(f"questions/{path.name}"):
            if item["model"] == "questions.question":
                fields = item["fields"]
                by_question[fields["slug"]] = (fields["kind"], modes[fields["rubric"][0]])
    return by_kind, by_question


# Size and variety minimums, only for the older sets that were written to them:
# split: (answers, per kind, over 300 words, 30 to 80 words, strong answers per kind)
MINIMUMS = {
    "dev": (90, 20, 15, 15, 3),
    "holdout": (40, 10, 6, 6, 2),
    "fresh": (60, 15, 10, 10, 3),
    "fresh2": (60, 15, 10, 10, 3),
    "fresh3": (64, 16, 10, 10, 3),
    "fresh4": (64, 16, 10, 10, 3),
    "fresh5": (64, 16, 10, 10, 3),
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load(split: str) -> list[dict]:
    path = DATA / f"scorer_{split}.jsonl"
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number} is blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number} is not an object"
        row["_where"] = f"{path.name}:{number}"
        rows.append(row)
    return rows


def words(text: str) -> int:
    return len(text.split())


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@pytest.fixture(scope="module", params=SETS)
def split(request) -> tuple[str, list[dict]]:
    return request.param, load(request.param)


@pytest.fixture(scope="module", params=list(MINIMUMS))
def older_split(request) -> tuple[str, list[dict]]:
    return request.param, load(request.param)


def test_the_older_sets_are_all_there():
    assert set(MINIMUMS) <= set(SETS)


def test_rows_have_the_fields(split):
    """kind, question, answer and labels always; a prompt (the wording the answer was written
    to, required when there is no bank question) and a note are optional."""
    _, rows = split
    for row in rows:
        where = row["_where"]
        assert REQUIRED <= set(row) - {"_where"} <= FIELDS, where
        assert row["kind"] in Kind.values, where
        assert row["question"] is None or SLUG.match(row["question"]), where
        if row["question"] is None:
            assert "prompt" in row, f"{where} has neither a bank question nor a prompt"
        for field in ("prompt", "answer", "note"):
            if field in row:
                assert isinstance(row[field], str) and row[field].strip(), f"{where} {field}"
        assert "\n" not in row.get("note", ""), where
        assert words(row["answer"]) >= 30, f"{where} answer is under 30 words"
        assert words(row["answer"]) <= 850, f"{where} answer is over 850 words"


def test_labels_are_known_and_scored_by_the_rubric_that_scores_the_answer(split):
    """A bank slug scores with that question's rubric (diagnosis questions use the
    execution-diagnosis one); null scores with the kind's default rubric. A set that was never
    tuned on is taken as its author labelled it: a mode its rubric does not score counts as a
    miss in its figures rather than forcing an edit."""
    name, rows = split
    tuned = name in TUNED
    by_kind, by_question = scoring_rubrics()
    for row in rows:
        labels, where = row["failure_modes"], row["_where"]
        assert isinstance(labels, list), where
        assert len(labels) == len(set(labels)), f"{where} repeats a label"
        unknown = set(labels) - FAILURE_MODE_KEYS
        assert not unknown, f"{where} unknown {unknown}"
        if row["question"] is None:
            scored = by_kind[row["kind"]]
        else:
            assert row["question"] in by_question, f"{where} {row['question']} is not in the bank"
            kind, scored = by_question[row["question"]]
            assert kind == row["kind"], where
        if tuned:
            assert set(labels) <= scored, f"{where} {set(labels) - scored} not scored here"


def test_answers_are_unique_within_a_file(split):
    name, rows = split
    seen: dict[str, str] = {}
    for row in rows:
        key = normalised(row["answer"])
        assert key not in seen, f"{row['_where']} repeats {seen[key]}"
        seen[key] = row["_where"]


def test_no_answer_is_in_two_files():
    answers = {name: {normalised(row["answer"]) for row in load(name)} for name in SETS}
    for a, b in itertools.combinations(answers, 2):
        assert not answers[a] & answers[b], (a, b)


def test_size_and_variety(older_split):
    name, rows = older_split
    total, per_kind, long_, short, strong = MINIMUMS[name]
    assert len(rows) >= total
    kinds = Counter(row["kind"] for row in rows)
    assert all(kinds[kind] >= per_kind for kind in Kind.values), kinds
    assert sum(words(row["answer"]) > 300 for row in rows) >= long_
    assert sum(30 <= words(row["answer"]) <= 80 for row in rows) >= short
    strong_per_kind = Counter(row["kind"] for row in rows if not row["failure_modes"])
    assert all(strong_per_kind[kind] >= strong for kind in Kind.values), strong_per_kind


def test_every_failure_mode_is_represented(older_split):
    name, rows = older_split
    counts = Counter(label for row in rows for label in row["failure_modes"])
    least = 3 if name == "dev" else 1
    assert {mode for mode in FAILURE_MODE_KEYS if counts[mode] < least} == set(), counts
