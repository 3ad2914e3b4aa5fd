"""The shipped bank: enough questions of each kind, distinct, cited, and in our own words."""

import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from prep.lib.sources import DOCUMENTS, source_problem
from questions.models import Question
from rubrics.models import FailureMode, Rubric

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
FILES = [
    FIXTURES / "failure_modes.json",
    FIXTURES / "rubrics.json",
    FIXTURES / "tags.json",
    *sorted((FIXTURES / "questions").glob("*.json")),
]
FAILURE_MODE_KEYS = {
    "vanity_metrics",
    "premature_scaling",
    "siloed_marketing",
    "no_measurement_plan",
    "no_recommendation",
    "no_prioritization",
    "no_diagnosis",
    "lagging_only",
    "no_user_focus",
    "vague_result",
}
STOP = frozenset(
    re.findall(
        r"\w+",
        "a an the and or of to in on for with by at from as is are be it its this that how what "
        "would you your we our they their if do does did which who when",
    )
)


def records(model: str) -> list[dict]:
    found = []
    for path in FILES:
        found += [r["fields"] for r in json.loads(path.read_text()) if r["model"] == model]
    return found


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP]


def test_the_bank_has_at_least_60_questions_and_12_of_each_kind():
    kinds = Counter(q["kind"] for q in records("questions.question"))
    assert sum(kinds.values()) >= 60
    for kind in ("product_sense", "execution", "behavioral", "gtm"):
        assert kinds[kind] >= 12, kinds


def test_every_question_and_failure_mode_cites_a_real_section():
    for fields in records("questions.question") + records("rubrics.failuremode"):
        problem = source_problem(fields["source_document"], fields["source_section"])
        assert problem is None, (fields.get("slug") or fields.get("key"), problem)


def test_the_failure_modes_are_exactly_the_ten_keys():
    assert {f["key"] for f in records("rubrics.failuremode")} == FAILURE_MODE_KEYS


def test_no_two_questions_are_near_duplicates():
    questions = records("questions.question")
    bags = {q["slug"]: set(words(q["title"] + " " + q["prompt"])) for q in questions}
    pairs = {
        q["slug"]: {" ".join(p) for p in itertools.pairwise(words(q["prompt"]))} for q in questions
    }
    for a, b in itertools.combinations(bags, 2):
        overlap = len(bags[a] & bags[b]) / len(bags[a] | bags[b])
        assert overlap < 0.5, f"{a} and {b} share {overlap:.0%} of their words"
        shared = len(pairs[a] & pairs[b]) / max(1, min(len(pairs[a]), len(pairs[b])))
        assert shared < 0.4, f"{a} and {b} share {shared:.0%} of their word pairs"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_nothing_is_pasted_from_the_source_documents():
    seed_grams = set()
    for path in SEEDS.glob("*.txt"):
        tokens = re.findall(r"[a-z0-9]+", path.read_text().lower())
        seed_grams |= {" ".join(tokens[i : i + 8]) for i in range(len(tokens) - 7)}
    headings = {section.lower() for doc in DOCUMENTS.values() for section in doc.sections}
    for path in FILES:
        for record in json.loads(path.read_text()):
            for name, value in record["fields"].items():
                if not isinstance(value, str) or name == "source_section":
                    continue
                text = value.lower()
                for heading in headings:  # citing a section by its heading is not pasting
                    text = text.replace(heading, " ")
                tokens = re.findall(r"[a-z0-9]+", text)
                for i in range(len(tokens) - 7):
                    gram = " ".join(tokens[i : i + 8])
                    assert gram not in seed_grams, f"{path.name} {name}: pasted {gram!r}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_the_summaries_of_the_sources_are_in_our_own_words():
    seed_grams = set()
    for path in SEEDS.glob("*.txt"):
        tokens = re.findall(r"[a-z0-9]+", path.read_text().lower())
        seed_grams |= {" ".join(tokens[i : i + 6]) for i in range(len(tokens) - 5)}
    for doc in DOCUMENTS.values():
        tokens = re.findall(r"[a-z0-9]+", doc.summary.lower())
        assert len(tokens) >= 8, f"{doc.file} needs a summary"
        for i in range(len(tokens) - 5):
            gram = " ".join(tokens[i : i + 6])
            assert gram not in seed_grams, f"{doc.file}: pasted {gram!r}"


def test_the_fixtures_load_with_loaddata(db):
    call_command("loaddata", *FILES, verbosity=0)
    assert Question.objects.count() == len(records("questions.question"))
    assert FailureMode.objects.count() == 10
    for kind in ("product_sense", "execution", "behavioral", "gtm"):
        assert Rubric.objects.filter(kind=kind, is_default=True).count() == 1
    # every question's rubric lists failure modes, and every probe has text
    for question in Question.objects.prefetch_related("probes", "rubric__failure_modes"):
        assert question.rubric.failure_modes.exists(), question.slug
        assert question.probes.exists(), question.slug
