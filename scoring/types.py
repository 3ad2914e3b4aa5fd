"""The one result shape every scorer returns, and the plain inputs it scores from.

Scorers are pure: they take these specs (built from the database elsewhere) and an answer, and
never touch the database, so they are fast to test and to benchmark.
"""

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    label: str
    weight: float
    levels: tuple[str, str, str, str, str]
    description: str = ""
    aspect: str = ""  # what the criterion asks about (scoring.heuristic.criteria.ASPECTS)


@dataclass(frozen=True)
class FailureModeSpec:
    key: str
    title: str
    description: str
    good_rewrite: str
    follow_up: str = ""
    signals: dict[str, Any] = field(default_factory=dict)
    not_when: str = ""  # what looks like it but is not it (the LLM prompt says so)
    why_it_matters: str = ""  # why it costs an answer, said in the advice
    costs: tuple[str, ...] = ()  # the criterion aspects whose score it lowers


@dataclass(frozen=True)
class RubricSpec:
    slug: str
    kind: str
    criteria: tuple[CriterionSpec, ...]
    failure_modes: tuple[FailureModeSpec, ...]


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    prompt: str
    slug: str | None = None
    context: str = ""
    time_limit_seconds: int | None = None
    # A follow-up: `prompt` is the probe, `follow_up_of` the main question's prompt, and
    # `probe_failure_mode` the weakness of the main answer the probe targeted ("" for a general
    # probe). Follow-ups are scored against the probe on their own short rubric.
    follow_up_of: str = ""
    probe_failure_mode: str = ""

    @property
    def is_follow_up(self) -> bool:
        return bool(self.follow_up_of)


@dataclass
class Evidence:
    start: int
    end: int
    quote: str


@dataclass
class FailureModeFinding:
    key: str
    title: str
    evidence: list[Evidence]
    advice: str


@dataclass
class CriterionResult:
    key: str
    label: str
    score: int
    rationale: str
    max: int = 5
    # Where the answer shows what the criterion credited (the heuristic's feature spans); a
    # scorer that cannot point at passages leaves it empty.
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ScoreResult:
    scorer: str
    version: str
    overall: float
    criteria: list[CriterionResult]
    failure_modes: list[FailureModeFinding]
    raw: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    # Time used against the time the candidate had: reported beside the scores, never in them.
    pacing: str = ""
    # Question fit (scoring/fit.py): coverage, verdict, what was asked, terms used and ignored,
    # and "message", the finding shown first when the answer does not address the question.
    fit: dict[str, Any] = field(default_factory=dict)
    # Why a low score is low, when no finding above already says so.
    summary: str = ""

    @property
    def scorer_id(self) -> str:
        return f"{self.scorer}-{self.version}"

    def as_json(self, question: QuestionSpec) -> dict[str, Any]:
        """The shape `score_answer --json` prints."""
        return {
            "question": question.slug,
            "kind": question.kind,
            "scorer": self.scorer_id,
            "overall": self.overall,
            "pacing": self.pacing,
            "fit": self.fit,
            "summary": self.summary,
            "criteria": [
                {k: c[k] for k in ("key", "label", "score", "max", "rationale")}
                for c in (asdict(c) for c in self.criteria)
            ],
            "failure_modes": [
                {
                    "key": f.key,
                    "title": f.title,
                    "evidence": [asdict(e) for e in f.evidence],
                    "advice": f.advice,
                }
                for f in self.failure_modes
            ],
        }


class Scorer(Protocol):
    name: str
    version: str

    def score(
        self,
        rubric: RubricSpec,
        question: QuestionSpec,
        answer: str,
        *,
        time_used_seconds: int | None = None,
    ) -> ScoreResult: ...


def pacing_note(time_used_seconds: int | None, time_limit_seconds: int | None) -> str:
    """One line on time used against the time the candidate had (the round's or the follow-up's
    limit). Time is not a grade (shared/LABELING.md): this is a note, not a score."""
    if time_used_seconds is None or not time_limit_seconds:
        return ""
    share = round(100 * time_used_seconds / time_limit_seconds)
    used, limit = _clock(time_used_seconds), _clock(time_limit_seconds)
    note = f"Pacing: you used {used} of the {limit} you had ({share}%)."
    if share < 25:
        return note + " A real interview gives this much time to go deeper; the score is the same."
    if share > 100:
        return note + " In an interview, leave a minute to close with your call."
    return note


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def weighted_overall(rubric: RubricSpec, scores: dict[str, int]) -> float:
    """The rubric's weighted mean of criterion scores, rounded to two places."""
    total = sum(c.weight for c in rubric.criteria) or 1.0
    mean = sum(c.weight * scores[c.key] for c in rubric.criteria) / total
    return round(min(5.0, max(1.0, mean)), 2)
