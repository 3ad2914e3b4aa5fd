"""One heuristic scorer per process, whose compiled rules are shared by content: a task that
reads the same rubric again from the database compiles nothing."""

import dataclasses

from scoring.heuristic import HeuristicScorer
from scoring.heuristic.detect import detector_for
from scoring.heuristic.fixture_specs import rubric_specs
from scoring.registry import get_scorer
from scoring.types import QuestionSpec


def test_one_heuristic_scorer_per_process():
    assert get_scorer("heuristic") is get_scorer("heuristic")


def test_detectors_are_shared_by_content_and_rebuilt_when_the_rules_change():
    spec = rubric_specs()["default:gtm"].failure_modes[0]
    same = dataclasses.replace(spec, signals=dict(spec.signals))
    assert detector_for(same) is detector_for(spec)
    changed = dataclasses.replace(spec, signals={**spec.signals, "cues": ["\\bzzz\\b"]})
    assert detector_for(changed) is not detector_for(spec)


def test_specs_read_again_reuse_the_plan_and_give_the_same_result():
    scorer = HeuristicScorer()
    question = QuestionSpec(kind="gtm", prompt="Launch it.")
    answer = "We launch in every market at once and judge it on views."
    first = scorer.score(rubric_specs()["default:gtm"], question, answer)
    again = rubric_specs()["default:gtm"]  # new objects, as every task builds them
    plan = scorer._plan(again)
    fresh = scorer._plan(rubric_specs()["default:gtm"])
    assert plan[0] is fresh[0]
    # ...and the one pass over an answer's words, with what it learnt about each word seen
    assert plan[2] is fresh[2] and "launch" in plan[2]._memo
    assert scorer.score(again, question, answer) == first
