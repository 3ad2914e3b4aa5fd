"""Criterion scores: what the criterion asks about, what the answer shows of it, and what it lacks.

A criterion is matched to an aspect by its key, then its label (rubrics are data, so this reads
words rather than a fixed list of keys). Each aspect names the features that earn credit and the
failure modes that cost it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from scoring.heuristic.features import LABELS
from scoring.heuristic.reading import Reading
from scoring.types import CriterionSpec


@dataclass(frozen=True)
class Aspect:
    name: str
    words: re.Pattern[str]
    credit: tuple[str, ...]  # features; `need` of them earn full marks
    need: int
    costs: tuple[str, ...]  # failure-mode keys


def _a(name: str, words: str, credit: tuple[str, ...], need: int, costs: tuple[str, ...]) -> Aspect:
    return Aspect(name, re.compile(words, re.IGNORECASE), credit, need, costs)


# Order matters: the first aspect whose words match wins.
ASPECTS: tuple[Aspect, ...] = (
    _a("reflection", r"reflect|learn|lesson", ("learning",), 1, ()),
    _a("personal", r"personal|ownership|action", ("first_person",), 1, ("vague_result",)),
    _a("situation", r"situation|context|stakes", ("situation", "goal"), 1, ()),
    _a(
        "collaboration",
        r"collaborat|cross|influence|stakeholder|partner|built.with",
        ("collaboration", "product_partnership"),
        1,
        ("siloed_marketing",),
    ),
    _a("lifecycle", r"lifecycle|phas|staging|validation", ("staging",), 1, ("premature_scaling",)),
    _a("leading", r"leading", ("leading_indicator",), 1, ("lagging_only",)),
    _a(
        "causal",
        r"causal|experiment|test.design|control|organic",
        ("control", "threshold", "hypothesis", "baseline"),
        2,
        ("no_measurement_plan",),
    ),
    _a(
        "hypotheses",
        r"hypothes",
        ("hypothesis", "diagnosis", "outcome_metric", "threshold"),
        2,
        ("no_diagnosis",),
    ),
    _a(
        "segmentation",
        r"segmentation|data.check|diagnos",
        ("diag_segment", "diag_data"),
        2,
        ("no_diagnosis",),
    ),
    _a(
        "root_cause",
        r"root.cause|fix",
        ("diagnosis", "commitment", "measurement"),
        3,
        ("no_diagnosis", "no_measurement_plan", "lagging_only"),
    ),
    _a("clarify", r"clarif|framing|scope", ("clarify", "goal", "user_segment"), 2, ()),
    _a(
        "decision",
        r"decision|recommend|call|verdict|go.no.go",
        ("recommendation", "commitment", "threshold"),
        2,
        ("no_recommendation",),
    ),
    _a(
        "user",
        r"user|audience|customer|segment|empathy",
        ("user_segment", "pain_point"),
        2,
        ("no_user_focus",),
    ),
    _a(
        "prioritization",
        r"priorit|trade|focus|rank",
        ("prioritization",),
        1,
        ("no_prioritization", "no_recommendation"),
    ),
    _a(
        "result",
        r"^result|result$|impact|outcome_?$",
        ("quantified_result", "first_person"),
        2,
        ("vague_result",),
    ),
    _a(
        "metrics",
        r"metric|measure|success",
        ("outcome_metric", "threshold", "control", "baseline", "leading_indicator", "guardrail"),
        3,
        ("vanity_metrics", "no_measurement_plan", "lagging_only"),
    ),
    _a("goal", r"goal|purpose|problem", ("goal", "user_segment", "outcome_metric"), 2, ()),
    _a(
        "solution",
        r"solution|idea|design|creativ|feature",
        ("commitment", "user_segment", "pain_point"),
        3,
        ("no_user_focus",),
    ),
)
GENERAL = _a(
    "general",
    r"$^",
    ("commitment", "measurement", "user_segment", "prioritization"),
    3,
    (),
)


@lru_cache(maxsize=1024)
def _aspect_of(key: str, label: str) -> Aspect:
    for text in (key, label):
        for aspect in ASPECTS:
            if aspect.words.search(text):
                return aspect
    return GENERAL


def aspect_for(criterion: CriterionSpec) -> Aspect:
    return _aspect_of(criterion.key, criterion.label)


def score_criterion(
    criterion: CriterionSpec,
    reading: Reading,
    found: dict[str, str],
    words: int,
    time_fraction: float | None,
) -> tuple[int, str]:
    """A 1-5 score and a one-line rationale. `found` maps failure-mode keys to their titles."""
    aspect = aspect_for(criterion)
    shown = [f for f in aspect.credit if reading.has(f)]
    missing = [f for f in aspect.credit if not reading.has(f)]
    costs = [found[k] for k in aspect.costs if k in found]

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
