"""The heuristic scorer's learned decisions: word features, the stored model, the dot product."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.heuristic import HeuristicScorer
from scoring.heuristic.fixture_specs import rubric_specs
from scoring.heuristic.learned import (
    MODEL,
    SHORT_MARGIN,
    SHORT_WORDS,
    Decision,
    Model,
    answer_features,
    load,
    present,
    rule_features,
    word_features,
    words_of,
)
from scoring.types import QuestionSpec

ROOT = Path(__file__).resolve().parent.parent
RUBRICS = rubric_specs()
GTM = RUBRICS["default:gtm"]
GTM_PROMPT = "How would you launch a paid creator subscription in a new market?"
# Vanity counts as the goal and a launch everywhere at once, with no user or test in sight.
VANITY_GLOBAL = (
    "I'd launch the subscription in every market at once with a big creator campaign, so the "
    "story lands everywhere on the same day. We'd pay the fifty biggest creators to post about "
    "it in launch week. Success is twenty million views on the launch videos and a trending "
    "hashtag in every country. After that we keep adding perks for subscribers and push the "
    "feature in the app. I think the brand moment is what matters most, and we can tune the "
    "details once it's live everywhere."
)


def test_words_are_read_with_the_reach_of_a_negation():
    words = words_of("We would not track views or likes, but retention at 30 days. Don’t stop!")
    assert {"NEG_track", "NEG_views", "NEG_likes", "retention", "00", "days"} <= words
    assert not {"views", "not", "NEG_retention", "stop", "don't"} & words
    assert "NEG_stop" in words  # "don't" negates like "not"
    assert {"NEG_so-called"} <= words_of("We don't need the so-called metrics")  # no clause break
    assert word_features("Not views") == {"w:NEG_views": 1.0}


def test_a_decision_is_a_dot_product():
    decision = Decision(bias=-1.0, weights={"rule": 2.0, "w:views": 0.5}, rubrics=frozenset())
    assert decision.margin({"rule": 1.0}, {"w:views": 1.0, "w:unknown": 1.0}) == pytest.approx(1.5)
    assert rule_features(None) == {}
    assert rule_features("cue") == {"rule": 1.0, "rule:cue": 1.0}
    shared = answer_features("gtm", 403, ["threshold"])
    assert shared == {"f:threshold": 1.0, "words": pytest.approx(math.log(403) / 6), "kind:gtm": 1}


def test_the_model_sums_word_weights_across_failure_modes_as_each_decision_would():
    decisions = {
        "a": Decision(-1.0, {"rule": 2.0, "w:views": 0.5, "w:NEG_views": -3.0}, frozenset({"r"})),
        "b": Decision(0.5, {"f:threshold": -1.0, "w:views": 0.25}, frozenset({"r"})),
        "c": Decision(0.0, {}, frozenset({"r"})),
    }
    model = Model(decisions)
    assert model.applies("a", "r")
    assert not model.applies("a", "other") and not model.applies("d", "r")
    words = {"views", "NEG_views", "other"}
    shared = {"f:threshold": 1.0}
    margins = model.margins(["a", "b"], words, shared, {"a": "cue"})
    assert margins == {"a": pytest.approx(-1.5), "b": pytest.approx(-0.25)}
    for key, margin in margins.items():
        named = shared | rule_features({"a": "cue"}.get(key)) | {f"w:{w}": 1.0 for w in words}
        assert decisions[key].margin(named) == pytest.approx(margin)
    assert model.margins(["c"], set(), {}, {}) == {"c": 0.0}


def test_in_a_short_answer_the_rules_finding_stands_unless_the_model_is_sure():
    short, long_ = SHORT_WORDS - 1, SHORT_WORDS
    assert present(0.1, False, long_) and not present(-0.1, True, long_)
    assert present(-SHORT_MARGIN + 0.1, True, short)
    assert not present(-SHORT_MARGIN - 0.1, True, short)
    assert not present(SHORT_MARGIN - 0.1, False, short)
    assert present(SHORT_MARGIN + 0.1, False, short)


def test_the_stored_model_decides_every_failure_mode_of_the_real_rubrics():
    decisions = load()
    stored = json.loads(MODEL.read_text(encoding="utf-8"))
    slugs = {spec.slug for spec in RUBRICS.values()}
    scored = {spec.key for spec in GTM.failure_modes} | {
        f.key for spec in RUBRICS.values() for f in spec.failure_modes
    }
    assert set(decisions) == scored
    for key, decision in decisions.items():
        assert decision.rubrics and decision.rubrics <= slugs
        # The rules' own finding is evidence for the failure, never against it.
        assert decision.weights["rule"] > 0, key
    assert (
        stored["loso_micro_f1"][stored["variant"]]["all"]
        > stored["loso_micro_f1"]["rules alone"]["all"]
    )


def test_the_stored_model_is_applied_with_a_plain_dot_product():
    result = HeuristicScorer().score(GTM, QuestionSpec("gtm", GTM_PROMPT), VANITY_GLOBAL)
    assert {"vanity_metrics", "premature_scaling"} <= {f.key for f in result.failure_modes}
    stored = json.loads(MODEL.read_text(encoding="utf-8"))["modes"]
    x = answer_features("gtm", result.raw["words"], result.raw["features"])
    x |= word_features(VANITY_GLOBAL)
    for spec in GTM.failure_modes:
        model = stored[spec.key]
        x_mode = x | rule_features(result.raw["rules"].get(spec.key))
        margin = model["bias"] + sum(model["weights"].get(k, 0.0) * v for k, v in x_mode.items())
        assert result.raw["margins"][spec.key] == pytest.approx(margin, abs=1e-3)
        assert (spec.key in {f.key for f in result.failure_modes}) is (margin > 0)


def test_the_model_can_overturn_the_rules_and_still_quotes_the_answer_exactly():
    rubrics = frozenset({GTM.slug})
    scorer = HeuristicScorer(
        decisions={
            "vanity_metrics": Decision(bias=-10.0, weights={}, rubrics=rubrics),
            "no_user_focus": Decision(bias=10.0, weights={}, rubrics=rubrics),
        }
    )
    result = scorer.score(GTM, QuestionSpec("gtm", GTM_PROMPT), VANITY_GLOBAL)
    found = {f.key: f for f in result.failure_modes}
    assert result.raw["rules"]["vanity_metrics"] == "cue"
    assert "vanity_metrics" not in found
    assert "premature_scaling" in found  # no decision stored: the rules decide
    evidence = found["no_user_focus"].evidence
    assert evidence and all(VANITY_GLOBAL[e.start : e.end] == e.quote for e in evidence)
    assert found["no_user_focus"].advice


def test_a_rubric_the_model_was_not_trained_on_is_decided_by_the_rules():
    scorer = HeuristicScorer(
        decisions={"vanity_metrics": Decision(bias=-10.0, weights={}, rubrics=frozenset({"x"}))}
    )
    result = scorer.score(GTM, QuestionSpec("gtm", GTM_PROMPT), VANITY_GLOBAL)
    assert "vanity_metrics" in {f.key for f in result.failure_modes}
    assert "vanity_metrics" not in result.raw["margins"]


def test_the_rules_alone_are_one_argument_away():
    rules_alone = HeuristicScorer(decisions={})
    result = rules_alone.score(GTM, QuestionSpec("gtm", GTM_PROMPT), VANITY_GLOBAL)
    assert result.raw["margins"] == {}
    assert {f.key for f in result.failure_modes} == set(result.raw["rules"])


def test_the_training_script_reports_and_writes_a_model_from_tiny_sets(tmp_path):
    pytest.importorskip("sklearn")
    data = ROOT / "tests" / "data"
    for name in ("dev", "holdout"):
        lines = (data / f"scorer_{name}.jsonl").read_text(encoding="utf-8").splitlines()
        (tmp_path / f"scorer_{name}.jsonl").write_text("\n".join(lines[:20]), encoding="utf-8")
    out = tmp_path / "decisions.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_heuristic.py"),
            *("--data", str(tmp_path), "--out", str(out), "--no-history", "--force"),
            *("--variants", "rules + words"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "rules alone" in done.stdout and "rules + words" in done.stdout
    decisions = load(out)
    assert decisions and all(d.rubrics for d in decisions.values())
