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


@dataclass
class ScoreResult:
    scorer: str
    version: str
    overall: float
    criteria: list[CriterionResult]
    failure_modes: list[FailureModeFinding]
    raw: dict[str, Any] = field(default_factory=dict)
    error: str = ""

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


def weighted_overall(rubric: RubricSpec, scores: dict[str, int]) -> float:
    """The rubric's weighted mean of criterion scores, rounded to two places."""
    total = sum(c.weight for c in rubric.criteria) or 1.0
    mean = sum(c.weight * scores[c.key] for c in rubric.criteria) / total
    return round(min(5.0, max(1.0, mean)), 2)
