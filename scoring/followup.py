"""Follow-up answers are judged against the probe, not the main question's whole rubric.

A probe targets one weakness of the main answer (its failure mode). The follow-up answer is
scored on a short rubric of its own: did it resolve that weakness, and was it concrete? What
fixes a failure mode is read from its own record (its `remedies` and the features its absence
rules require), so the fixture stays the one source of truth; FIX_FALLBACK covers a mode whose
record names neither.
"""

from dataclasses import dataclass

from scoring.types import CriterionSpec, FailureModeSpec, RubricSpec

_LEVELS = ("ignores it", "touches it", "partly", "resolves it", "resolves it concretely")
RESOLVES = CriterionSpec(
    "probe_resolved",
    "Resolves the weakness the probe targeted",
    2.0,
    _LEVELS,
    "The follow-up answer now does what the main answer lacked.",
)
CONCRETE = CriterionSpec(
    "probe_concrete",
    "Answers the probe concretely",
    1.0,
    ("off the probe", "vague", "general", "specific", "specific and measurable"),
    "Names a place, a number, a segment or a decision rule rather than a general intention.",
)
FOLLOW_UP_CRITERIA = (RESOLVES, CONCRETE)
# Features that show something concrete in any follow-up answer.
CONCRETE_FEATURES = ("threshold", "user_segment", "quantified_result", "baseline", "control")
# premature_scaling's record clears it by cancel words, not by a named feature.
FIX_FALLBACK = {"premature_scaling": ("staging",)}


def follow_up_rubric(rubric: RubricSpec) -> RubricSpec:
    return RubricSpec(f"{rubric.slug}:follow-up", rubric.kind, FOLLOW_UP_CRITERIA, ())


def fix_features(spec: FailureModeSpec | None) -> tuple[str, ...]:
    """The features whose presence shows this failure mode is fixed."""
    if spec is None:
        return ()
    signals = spec.signals or {}
    names = list(signals.get("remedies") or [])
    rules = signals.get("absence") or []
    if isinstance(rules, dict):
        rules = [rules]
    for rule in rules:
        for group in rule.get("requires", []):
            names.extend(group)
    names.extend(FIX_FALLBACK.get(spec.key, ()))
    return tuple(dict.fromkeys(names))


@dataclass
class FollowUpVerdict:
    probed: str  # the failure-mode key the probe targeted, or ""
    probed_title: str
    verdict: str  # "fixed", "partly", "not_fixed" or "off_probe"
    message: str
    shown: list[str]
    quote: str = ""

    @property
    def resolves(self) -> int:
        return {"fixed": 4, "partly": 3, "not_fixed": 2, "off_probe": 1}[self.verdict]


def verdict_message(verdict: str, title: str, shown_label: str, quote: str, rewrite: str) -> str:
    """The first line of a follow-up's feedback: fixed or not, in the candidate's words."""
    said = f": “{quote}”" if quote else ""
    weakness = f"the weakness the probe targeted ({title.lower()})" if title else "the probe"
    if verdict == "fixed":
        return f"Fixed: you now give {shown_label}{said}. That answers {weakness}."
    if verdict == "partly":
        return (
            f"Partly fixed: you now give {shown_label}{said}, but the answer still shows "
            f"{title.lower()}. {rewrite}"
        ).strip()
    if verdict == "off_probe":
        return f"Not fixed: this does not answer the probe, so {weakness} stands. {rewrite}".strip()
    return f"Not fixed: the answer does not address {weakness}. {rewrite}".strip()
