"""The heuristic scorer's learned layer (scoring/heuristic/learned.py): how it reads words, how
it combines with the rules, what it quotes, and that the shipped weights stay small and exact."""

import math

import pytest

from scoring.heuristic import HeuristicScorer
from scoring.heuristic.fixture_specs import rubric_specs
from scoring.heuristic.learned import (
    WEIGHTS,
    LearnedLayer,
    answer_features,
    answer_words,
    load,
    sentence_words,
    terms,
)
from scoring.heuristic.reading import read
from scoring.heuristic.text import sentences
from scoring.types import QuestionSpec
from tests.scorer_sets import load_rows, specs_for_rows

QUESTION = QuestionSpec(kind="gtm", prompt="How would you launch it?")


def _reading(text: str):
    return read(text, sentences(text))


def test_words_in_a_negated_clause_are_marked():
    reading = _reading(
        "We would not launch globally, but start in one city. Views aren't the goal."
    )
    assert answer_words(reading) == [
        "we", "would", "not", "NOT_launch", "NOT_globally", "but", "start", "in", "one", "city",
        "views", "aren't", "NOT_the", "NOT_goal",
    ]  # fmt: skip
    assert sentence_words(reading) == [answer_words(reading)[:10], answer_words(reading)[10:]]
    assert {"NOT_launch NOT_globally", "city views", "views"} <= terms(answer_words(reading))


def _layer(weights: dict, threshold: float = 0.5, veto: float | None = None) -> LearnedLayer:
    return LearnedLayer(
        {
            "version": "test",
            "modes": {
                "no_measurement_plan": {
                    "bias": -2.0,
                    "threshold": threshold,
                    "veto": veto,
                    "kinds": ["gtm"],
                },
                "vanity_metrics": {"bias": 0.0, "threshold": 0.5, "veto": 0.3, "kinds": ["gtm"]},
            },
            "weights": {"no_measurement_plan": weights, "vanity_metrics": {"views": -2.0}},
        }
    )


def _scorer(layer: LearnedLayer) -> HeuristicScorer:
    scorer = HeuristicScorer(learned=False)
    scorer.learned = layer
    return scorer


def test_the_model_alone_finds_a_mode_and_quotes_its_strongest_sentence():
    rubric = rubric_specs()["default:gtm"]
    answer = (
        "We start with busy parents in Leeds who lose an hour a week to school forms. "
        "We will see how it goes and keep an eye on it. "
        "Success is 30% of them filling a second form within two weeks."
    )
    plain = HeuristicScorer(learned=False).score(rubric, QUESTION, answer)
    assert "no_measurement_plan" not in {f.key for f in plain.failure_modes}
    scorer = _scorer(_layer({"see how": 1.5, "eye": 1.0, "team": 0.3}))
    result = scorer.score(rubric, QUESTION, answer)
    finding = next(f for f in result.failure_modes if f.key == "no_measurement_plan")
    [evidence] = finding.evidence
    assert evidence.quote == "We will see how it goes and keep an eye on it."
    assert answer[evidence.start : evidence.end] == evidence.quote
    assert finding.advice
    assert result.raw["learned"]["no_measurement_plan"] == pytest.approx(
        1 / (1 + math.exp(-(-2.0 + 1.5 + 1.0))), abs=1e-3
    )


def test_a_model_only_finding_quotes_a_sentence_where_the_modes_cues_matched():
    # The strongest sentence by the model's words need not be the one that shows the failure:
    # where the mode's cues matched (its rule may still not have fired), the quote is one of those.
    layer = _layer({"see how": 1.5, "eye": 1.0})
    by_sentence = sentence_words(_reading("We will see how it goes. Keep an eye on it. Done."))
    assert layer.best_sentence("no_measurement_plan", by_sentence) == 0
    assert layer.best_sentence("no_measurement_plan", by_sentence, {1, 2}) == 1
    answer = "We launch in every market at once. Success is a million views in week one."
    reading, _, _ = HeuristicScorer(learned=False).rules(
        rubric_specs()["default:gtm"], QUESTION, answer
    )
    assert {reading.sentence_index(m.start()) for m in reading.cues["vanity_metrics"]} == {1}
    assert {reading.sentence_index(m.start()) for m in reading.cues["premature_scaling"]} == {0}


def test_a_rule_finding_stands_unless_the_model_vetoes_it():
    rubric = rubric_specs()["default:gtm"]
    answer = "We launch in every market at once and judge it on views and downloads."
    keys = {
        f.key for f in HeuristicScorer(learned=False).score(rubric, QUESTION, answer).failure_modes
    }
    assert "vanity_metrics" in keys
    # The test model's vanity_metrics logit is -2 on "views": below its veto (p 0.3).
    vetoed = _scorer(_layer({})).score(rubric, QUESTION, answer)
    assert "vanity_metrics" not in {f.key for f in vetoed.failure_modes}
    # A mode with no veto keeps every rule finding; one without a model is left to its rules.
    kept = _scorer(_layer({}, veto=None)).score(rubric, QUESTION, answer)
    assert {f.key for f in kept.failure_modes} - {"vanity_metrics"} == keys - {"vanity_metrics"}


def test_packed_sums_match_the_weights_one_by_one():
    layer = load()
    assert layer is not None
    rows = load_rows("fresh9")[:30]
    scorer = HeuristicScorer(learned=False)
    for row, (rubric, question) in zip(rows, specs_for_rows(rows), strict=True):
        reading, words, hits = scorer.rules(rubric, question, row["answer"])
        seen = terms(answer_words(reading), layer.pairs) | set(
            answer_features(reading, question.kind, words, set(hits))
        )
        got = layer.logits(seen)
        for key, mode in layer.modes.items():
            want = mode.bias + sum(layer.weights[key].get(t, 0.0) for t in seen)
            assert got[key] == pytest.approx(want, abs=1e-6)


def test_the_shipped_weights_are_small_and_read_once():
    assert WEIGHTS.stat().st_size < 1_000_000
    assert load() is load()
    assert HeuristicScorer().learned is load()
    assert HeuristicScorer().version == "23"


@pytest.mark.parametrize("name", ["fresh10", "fresh11"])
def test_every_finding_quotes_the_answer_exactly(name):
    rows = load_rows(name)
    scorer = HeuristicScorer()
    for row, (rubric, question) in zip(rows, specs_for_rows(rows), strict=True):
        for finding in scorer.score(rubric, question, row["answer"]).failure_modes:
            assert finding.evidence
            for e in finding.evidence:
                assert row["answer"][e.start : e.end] == e.quote
