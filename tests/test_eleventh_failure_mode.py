"""Adding a failure mode is a fixture record and labelled text, nothing else: a temporary
eleventh mode is validated, imported, scored, evaluated and probed without a code change."""

import json
import shutil

import pytest

from questions.bank_io import import_bank
from questions.bank_io.files import default_files
from questions.models import Question
from rounds import probes
from rubrics.models import FailureMode
from scoring.evaluation import confusion
from scoring.heuristic import HeuristicScorer
from scoring.heuristic.fixture_specs import FIXTURES, rubric_specs
from scoring.heuristic.signals import signal_problems
from scoring.llm import user_prompt
from scoring.types import QuestionSpec

ELEVENTH = {
    "model": "rubrics.failuremode",
    "fields": {
        "key": "no_guardrail",
        "title": "No guardrail",
        "description": "The plan watches only the metric it wants to move.",
        "why_rejected": "Panels expect what must not get worse to be named.",
        "bad_example": "We only watch conversion.",
        "good_rewrite": "Name a guardrail, such as refunds, with a limit that stops the test.",
        "follow_up": "What must not get worse while you push this?",
        "probe_priority": 5,
        "not_when": "a limit on refunds, complaints or another harm stops the test",
        "why_it_matters": "a win that breaks something else is not a win",
        "costs": ["metrics"],
        "signals": {
            "cues": ["\\bonly (?:watch|track|look at) (?:the )?conversion\\b"],
            "remedies": ["guardrail"],
            "advice": "“{quote}” names nothing that must not get worse.",
        },
        "source_document": "003_625c3301e25c3911.txt",
        "source_section": "How Should You Demonstrate Data Fluency in the Interview?",
    },
}
LABELLED = [
    ("We launch to a 5% test in one market and only watch conversion.", {"no_guardrail"}),
    (
        "We launch to a 5% test in one market, aiming for conversion up 2 points, with refund "
        "rate as a guardrail that stops the test.",
        set(),
    ),
]


@pytest.fixture
def fixtures(tmp_path):
    """A copy of the fixtures with the eleventh mode added to the gtm rubrics."""
    copy = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, copy)
    modes = json.loads((copy / "failure_modes.json").read_text(encoding="utf-8"))
    (copy / "failure_modes.json").write_text(json.dumps([*modes, ELEVENTH]), encoding="utf-8")
    rubrics = json.loads((copy / "rubrics.json").read_text(encoding="utf-8"))
    for record in rubrics:
        if record["model"] == "rubrics.rubric" and record["fields"]["kind"] == "gtm":
            record["fields"]["failure_modes"].append(["no_guardrail"])
    (copy / "rubrics.json").write_text(json.dumps(rubrics), encoding="utf-8")
    return copy


def test_the_eleventh_mode_is_scored_and_evaluated(fixtures):
    assert signal_problems(ELEVENTH["fields"]["signals"]) == []
    rubric = rubric_specs(fixtures)["default:gtm"]
    scorer = HeuristicScorer()
    question = QuestionSpec(kind="gtm", prompt="How would you launch it?")
    pairs = []
    for answer, expected in LABELLED:
        result = scorer.score(rubric, question, answer)
        found = {f.key for f in result.failure_modes} & {"no_guardrail"}
        pairs.append((expected, found))
        for finding in result.failure_modes:
            for quote in finding.evidence:
                assert answer[quote.start : quote.end] == quote.quote
    per_key, _ = confusion(pairs, ["no_guardrail"])
    assert per_key["no_guardrail"].f1 == 1.0


def test_the_eleventh_mode_brings_its_costs_advice_and_definition(fixtures):
    """What the mode costs, why it matters and what it is not come from its record alone."""
    rubric = rubric_specs(fixtures)["default:gtm"]
    question = QuestionSpec(kind="gtm", prompt="How would you launch it?")
    answer, _ = LABELLED[0]
    result = HeuristicScorer().score(rubric, question, answer)
    finding = next(f for f in result.failure_modes if f.key == "no_guardrail")
    assert "a win that breaks something else is not a win" in finding.advice
    aspects = {c.key: c.aspect for c in rubric.criteria}
    assert "metrics" in aspects.values()
    for criterion in result.criteria:
        flagged = "no guardrail" in criterion.rationale.lower()
        assert flagged == (aspects[criterion.key] == "metrics"), criterion
    prompt = user_prompt(rubric, question, answer, None)
    assert "Not present when a limit on refunds, complaints or another harm stops the test." in (
        prompt
    )


def test_the_eleventh_mode_is_imported_and_probed_first(db, fixtures):
    import_bank(default_files(fixtures))
    assert FailureMode.objects.count() == 11
    question = Question.objects.filter(rubric__kind="gtm").first()
    question.probes.filter(failure_mode__isnull=False).delete()  # only the modes' own probes
    choice = probes.choose_probe(question, ["premature_scaling", "no_guardrail"])
    assert choice == probes.ProbeChoice(ELEVENTH["fields"]["follow_up"], "no_guardrail")
