"""Criterion scores: what the criterion asks about, what the answer shows of it, and what it lacks.

Each criterion names its aspect (Criterion.aspect, set in fixtures/rubrics.json), so renaming a
label never changes scoring. Each aspect names the features that earn credit; each failure mode
names the aspects it costs (FailureMode.costs, in fixtures/failure_modes.json). A criterion with
no known aspect is scored as "general".
"""

from collections.abc import Iterable
from dataclasses import dataclass

from scoring.heuristic.features import LABELS
from scoring.heuristic.reading import Reading
from scoring.types import CriterionSpec, FailureModeSpec


@dataclass(frozen=True)
class Aspect:
    name: str
    credit: tuple[str, ...]  # features; `need` of them earn full marks
    need: int


def _a(name: str, credit: tuple[str, ...], need: int) -> Aspect:
    return Aspect(name, credit, need)


ASPECTS: tuple[Aspect, ...] = (
    _a("reflection", ("learning",), 1),
    _a("personal", ("first_person",), 1),
    _a("situation", ("situation", "goal"), 1),
    _a("collaboration", ("collaboration", "product_partnership"), 1),
    _a("lifecycle", ("staging",), 1),
    _a("leading", ("leading_indicator",), 1),
    _a("causal", ("control", "threshold", "hypothesis", "baseline"), 2),
    _a("hypotheses", ("hypothesis", "diagnosis", "outcome_metric", "threshold"), 2),
    _a("segmentation", ("diag_segment", "diag_data"), 2),
    _a("root_cause", ("diagnosis", "commitment", "measurement"), 3),
    _a("clarify", ("clarify", "goal", "user_segment"), 2),
    _a("decision", ("recommendation", "commitment", "threshold"), 2),
    _a("user", ("user_segment", "pain_point"), 2),
    _a("prioritization", ("prioritization",), 1),
    _a("result", ("quantified_result", "first_person"), 2),
    _a(
        "metrics",
        ("outcome_metric", "threshold", "control", "baseline", "leading_indicator", "guardrail"),
        3,
    ),
    _a("goal", ("goal", "user_segment", "outcome_metric"), 2),
    _a("solution", ("commitment", "user_segment", "pain_point"), 3),
)
GENERAL = _a("general", ("commitment", "measurement", "user_segment", "prioritization"), 3)


BY_NAME: dict[str, Aspect] = {a.name: a for a in (*ASPECTS, GENERAL)}


def aspect_for(criterion: CriterionSpec) -> Aspect:
    return BY_NAME.get(criterion.aspect, GENERAL)


def score_criterion(
    criterion: CriterionSpec,
    reading: Reading,
    found: Iterable[FailureModeSpec],
    words: int,
    time_fraction: float | None,
) -> tuple[int, str]:
    """A 1-5 score and a one-line rationale, lowered by each failure mode `found` in this
    answer that costs the criterion's aspect."""
    aspect = aspect_for(criterion)
    shown = [f for f in aspect.credit if reading.has(f)]
    missing = [f for f in aspect.credit if not reading.has(f)]
    costs = [spec.title for spec in found if aspect.name in spec.costs]

    score = 1.5 + 3.5 * min(1.0, len(shown) / aspect.need)
    score -= 2 * len(costs)
    notes: list[str] = []
    # Very short answers cannot show much, however well phrased.
    for limit, cap in ((40, 2), (80, 3), (120, 4)):
        if words < limit:
            if score > cap:
                notes.append(f"only {words} words")
            score = min(score, cap)
            break
    if time_fraction is not None and time_fraction < 0.33:
        score -= 1 if time_fraction >= 0.15 else 2
        notes.append(f"used {round(time_fraction * 100)}% of the time")
    final = max(1, min(5, round(score)))

    parts: list[str] = []
    if shown:
        parts.append("Shows " + _join(LABELS.get(f, f) for f in shown))
    if missing and final < 5:
        parts.append("lacks " + _join(LABELS.get(f, f) for f in missing[:2]))
    if costs:
        parts.append("flagged: " + _join(t.lower() for t in costs))
    parts.extend(notes)
    rationale = "; ".join(parts) or "Nothing specific to this criterion"
    return final, rationale[0].upper() + rationale[1:] + "."


def _join(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
