import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rounds.models import MAX_ANSWER_CHARS
from rubrics.models import Rubric
from scoring.heuristic import HeuristicScorer
from scoring.registry import SCORERS
from scoring.types import CriterionResult, ScoreResult
from tests.factories import QuestionFactory

ROOT = Path(__file__).resolve().parent.parent
ANSWER = (
    "I'd partner with fifty creators for a branded hashtag challenge. Success is ten million "
    "views in the first week, and we'd roll it out globally on day one."
)


@pytest.fixture
def rubrics(db):
    call_command("loaddata", "fixtures/failure_modes.json", "fixtures/rubrics.json", verbosity=0)


def run(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("score_answer", *args, stdout=out, stderr=io.StringIO(), **extra)
    return out.getvalue()


def test_it_scores_an_ad_hoc_question_from_a_file_as_json(rubrics, tmp_path):
    path = tmp_path / "answer.txt"
    path.write_text(ANSWER, encoding="utf-8")
    output = json.loads(
        run("--kind", "gtm", "--prompt", "Launch Shop in Chile.", "--file", str(path), "--json")
    )
    assert list(output) == [
        "question",
        "kind",
        "scorer",
        "overall",
        "pacing",
        "fit",
        "summary",
        "criteria",
        "failure_modes",
    ]
    assert output["question"] is None
    assert output["kind"] == "gtm"
    assert output["scorer"] == f"heuristic-{HeuristicScorer.version}"
    assert 1.0 <= output["overall"] <= 5.0
    assert {c["key"] for c in output["criteria"]} == {
        "audience_focus",
        "prioritization",
        "product_lifecycle",
        "cross_functional",
        "measurement",
        "recommendation",
    }
    for c in output["criteria"]:
        assert list(c) == ["key", "label", "score", "max", "rationale"]
    keys = {f["key"] for f in output["failure_modes"]}
    assert {"vanity_metrics", "premature_scaling"} <= keys
    for f in output["failure_modes"]:
        assert list(f) == ["key", "title", "evidence", "advice"]
        for e in f["evidence"]:
            assert list(e) == ["start", "end", "quote"]
            assert ANSWER[e["start"] : e["end"]] == e["quote"]


def test_it_scores_a_bank_question_from_stdin_with_its_rubric(rubrics):
    rubric = Rubric.objects.get(slug="gtm-measurement")
    question = QuestionFactory(slug="shop-chile", rubric=rubric)
    output = json.loads(run("--question", question.slug, "--json", stdin=ANSWER))
    assert output["question"] == "shop-chile"
    assert output["kind"] == "gtm"
    assert [c["key"] for c in output["criteria"]] == list(
        rubric.criteria.order_by("order", "key").values_list("key", flat=True)
    )


def test_the_plain_report_shows_scores_evidence_and_advice(rubrics):
    text = run("--kind", "gtm", "--prompt", "Launch Shop in Chile.", stdin=ANSWER)
    assert "overall" in text
    assert "Vanity metrics as the goal (vanity_metrics)" in text
    assert "“views”" in text and "advice:" in text


def test_the_scorer_name_is_passed_through(rubrics, monkeypatch):
    monkeypatch.setitem(SCORERS, "llm", "tests.test_score_answer_command.FakeScorer")
    output = json.loads(
        run("--kind", "behavioral", "--prompt", "Tell me.", "--scorer", "llm", "--json", stdin="x")
    )
    assert output["scorer"] == "fake-9"
    assert output["criteria"][0]["rationale"] == "behavioral: 1 chars"


class FakeScorer:
    name, version = "fake", "9"

    def score(self, rubric, question, answer, *, time_used_seconds=None):
        return ScoreResult(
            scorer=self.name,
            version=self.version,
            overall=3.0,
            criteria=[CriterionResult("k", "K", 3, f"{question.kind}: {len(answer)} chars")],
            failure_modes=[],
        )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--question", "no-such-question"], ANSWER, "unknown question 'no-such-question'"),
        (["--kind", "gtm"], ANSWER, "needs --prompt"),
        (["--kind", "gtm", "--prompt", "P"], "  \n ", "the answer is empty"),
        (["--kind", "gtm", "--prompt", "P"], "x" * (MAX_ANSWER_CHARS + 1), "the limit is 20000"),
        (["--kind", "gtm", "--prompt", "P", "--file", "/nonexistent/a.txt"], None, "cannot read"),
        (["--question", "q", "--prompt", "P"], ANSWER, "only for ad-hoc questions"),
    ],
)
def test_bad_input_gets_a_clear_message(rubrics, args, stdin, message):
    with pytest.raises(CommandError, match=message):
        run(*args, stdin=stdin)


def test_a_kind_without_a_default_rubric_is_explained(db):
    with pytest.raises(CommandError, match="no default rubric for kind 'gtm'"):
        run("--kind", "gtm", "--prompt", "P", stdin=ANSWER)


def test_unknown_kind_fails_with_a_non_zero_exit():
    result = subprocess.run(
        [sys.executable, "manage.py", "score_answer", "--kind", "sales", "--prompt", "P"],
        cwd=ROOT,
        input=ANSWER,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "invalid choice: 'sales'" in result.stderr
    assert result.stdout == ""


def test_the_text_report_shows_question_fit_first_for_an_off_topic_answer(rubrics):
    output = run(
        "--kind",
        "gtm",
        "--prompt",
        "How would you launch group duets for friends?",
        "--time-used",
        "60",
        stdin="I'd open Shop in Brazil this half: 11% of users tapped a product link, against "
        "4% in Germany. Pix payments from day one, judged on repeat purchases against a holdout.",
    )
    assert "question fit 0.00 (off_topic)" in output
    assert "! This does not answer the question asked" in output
    assert "No failure modes found." not in output
