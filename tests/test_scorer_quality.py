"""The quality gate: the heuristic scorer's failure-mode figures on the labelled sets it was
tuned on must not fall below these floors (a regex tweak that loses points fails `make test`).

Sets in tests/data that are not in TUNED (a new author's set, kept unseen) are printed, not
gated. Raise a floor when the scorer improves; lower one only with a reason in the commit.

Heuristic-8 adds a learned layer (scoring/heuristic/learned.py) fitted on the tuned sets (and
the corpus in scripts/train_learned.py), so its figures here are figures on its own training
data. What it does for a new author is the leave-one-author-out table that
scripts/train_learned.py prints. The rules are gated on their own as well, on the sets they were
tuned on, so that the features the model leans on cannot quietly get worse.
"""

from scoring.evaluation import Counts, format_table
from scoring.heuristic import HeuristicScorer
from tests.scorer_sets import RULES_TUNED, TUNED, evaluate, load_rows, set_names

MICRO_F1_FLOOR = 0.82
MODE_F1_FLOOR = {
    "lagging_only": 0.84,
    "no_diagnosis": 0.90,
    "no_measurement_plan": 0.74,
    "no_prioritization": 0.78,
    "no_recommendation": 0.85,
    "no_user_focus": 0.72,
    "premature_scaling": 0.84,
    "siloed_marketing": 0.88,
    "vague_result": 0.89,
    "vanity_metrics": 0.83,
}
# A mode with no floor of its own (a new one) is held to this.
DEFAULT_MODE_F1_FLOOR = 0.6
# The rules alone. Lowered for heuristic-12 (from the floors above, which they met at 0.834):
# every rubric now scores every mode, so the rules run on kinds of question they were not
# written for, and the tuned sets were relabelled for the modes their rubrics did not score
# (57 labels added). Same rules, a larger task: 0.795 then. They alone judge only answers under
# 60 words and follow-ups; the learned layer judges the rest.
RULES_MICRO_F1_FLOOR = 0.78
RULES_MODE_F1_FLOOR = {
    "lagging_only": 0.79,
    "no_diagnosis": 0.76,
    "no_measurement_plan": 0.72,
    "no_prioritization": 0.73,
    "no_recommendation": 0.85,
    "no_user_focus": 0.69,
    "premature_scaling": 0.73,
    "siloed_marketing": 0.87,
    "vague_result": 0.89,
    "vanity_metrics": 0.81,
}


def _below_floors(
    per_key: dict[str, Counts], floors: dict[str, float] = MODE_F1_FLOOR
) -> dict[str, float]:
    return {
        key: round(c.f1, 3)
        for key, c in per_key.items()
        if c.tp + c.fn and c.f1 < floors.get(key, DEFAULT_MODE_F1_FLOOR)
    }


def test_tuned_sets_stay_above_the_floors():
    rows = [row for name in TUNED for row in load_rows(name)]
    per_key, micro = evaluate(rows)
    print("\ntuned sets, pooled:\n" + format_table(per_key, micro))
    low = _below_floors(per_key)
    assert micro.f1 >= MICRO_F1_FLOOR, f"micro-F1 {micro.f1:.3f} < {MICRO_F1_FLOOR}"
    assert not low, f"modes below their F1 floor: {low}"


def test_the_rules_alone_stay_above_the_floors():
    rows = [row for name in RULES_TUNED for row in load_rows(name)]
    per_key, micro = evaluate(rows, HeuristicScorer(learned=False))
    print("\nrules alone, the sets they were tuned on:\n" + format_table(per_key, micro))
    low = _below_floors(per_key, RULES_MODE_F1_FLOOR)
    assert micro.f1 >= RULES_MICRO_F1_FLOOR, f"micro-F1 {micro.f1:.3f} < {RULES_MICRO_F1_FLOOR}"
    assert not low, f"modes below their F1 floor: {low}"


def test_unseen_sets_are_printed():
    for name in set_names():
        if name in TUNED:
            continue
        _, micro = evaluate(load_rows(name))
        figures = f"P {micro.precision:.3f} R {micro.recall:.3f} F1 {micro.f1:.3f}"
        print(f"\n{name} (not tuned on): {figures}")
