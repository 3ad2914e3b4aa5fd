"""Reading attempts: a candidate's attempts at one question with their feedback and drills,
the comparison of an attempt with the one before it, and what a drill starts from."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from accounts.models import User
from attempts.compare import CriterionRow, ModeChanges, WordDiff, criterion_rows, mode_changes
from attempts.compare import word_diff as diff_words
from attempts.drills import passages
from attempts.models import Drill
from feedback.models import FailureModeHit, Feedback
from feedback.selectors import answer_with_feedback, feedback_prefetch, scored_feedback
from rounds.models import Answer


@dataclass
class Attempt:
    answer: Answer
    feedback: Feedback | None  # the scored feedback, None while unscored or failed
    number: int
    drills: list[Drill] = field(default_factory=list)

    @property
    def overall(self) -> Decimal | None:
        return self.feedback.overall if self.feedback else None

    @property
    def hits(self) -> list[FailureModeHit]:
        return list(self.feedback.failure_mode_hits.all()) if self.feedback else []

    @property
    def mode_keys(self) -> list[str]:
        return [hit.failure_mode.key for hit in self.hits]

    @property
    def off_topic(self) -> bool:
        """Scored as not answering the question: its failure modes were never judged."""
        return self.feedback is not None and self.feedback.fit.get("verdict") == "off_topic"

    def scores(self) -> list[tuple[str, str, int, int]]:
        criteria = self.feedback.criterion_scores.all() if self.feedback else []
        return [(c.key, c.label, c.score, c.max_score) for c in criteria]


def attempts_at(candidate: User, question_id: int) -> list[Attempt]:
    """Every submitted main answer of the candidate's to the question, oldest first, with its
    feedback and drills: six queries however many there are."""
    answers = (
        Answer.objects.filter(
            candidate=candidate,
            question_id=question_id,
            follow_up_of__isnull=True,
            submitted_at__isnull=False,
        )
        .select_related("round")
        .prefetch_related(
            feedback_prefetch(),
            Prefetch("drills", queryset=Drill.objects.select_related("failure_mode")),
        )
        .order_by("submitted_at", "pk")
    )
    return [
        Attempt(answer, scored_feedback(answer), number, list(answer.drills.all()))
        for number, answer in enumerate(answers, start=1)
    ]


@dataclass
class Comparison:
    current: Attempt
    previous: Attempt | None  # the latest scored attempt before this one
    attempts: list[Attempt]
    changes: ModeChanges | None = None
    titles: dict[str, str] = field(default_factory=dict)
    rows: list[CriterionRow] = field(default_factory=list)
    diff: WordDiff | None = None

    def _titled(self, keys: list[str]) -> list[str]:
        return [self.titles.get(key, key) for key in keys]

    @property
    def fixed(self) -> list[str]:
        return self._titled(self.changes.fixed) if self.changes else []

    @property
    def remaining(self) -> list[str]:
        return self._titled(self.changes.remaining) if self.changes else []

    @property
    def new(self) -> list[str]:
        return self._titled(self.changes.new) if self.changes else []


def comparison(answer: Answer, *, against: int | None = None) -> Comparison:
    """The answer beside an earlier scored attempt at the same question: the one whose answer
    id is `against`, else the latest before it."""
    attempts = attempts_at(answer.candidate, answer.question_id)
    current = next(a for a in attempts if a.answer.pk == answer.pk)
    earlier = [a for a in attempts if a.number < current.number and a.feedback is not None]
    chosen = next((a for a in earlier if a.answer.pk == against), None)
    found = Comparison(current, chosen or (earlier[-1] if earlier else None), attempts)
    previous = found.previous
    if previous is None or current.feedback is None:
        return found
    found.titles = {h.failure_mode.key: h.failure_mode.title for h in previous.hits}
    found.titles |= {h.failure_mode.key: h.failure_mode.title for h in current.hits}
    # An answer to another question has no failure modes because none were judged: nothing
    # counts as fixed by it, nor as new beside it.
    if not (previous.off_topic or current.off_topic):
        found.changes = mode_changes(previous.mode_keys, current.mode_keys)
    found.rows = criterion_rows(previous.scores(), current.scores())
    found.diff = diff_words(previous.answer.text, current.answer.text)
    return found


@dataclass
class DrillSetup:
    """A finding of a scored answer and the passage of it to rewrite."""

    answer: Answer
    hit: FailureModeHit
    passages: list[tuple[int, int]]
    index: int

    @property
    def start(self) -> int:
        return self.passages[self.index][0]

    @property
    def end(self) -> int:
        return self.passages[self.index][1]

    @property
    def before(self) -> str:
        return self.answer.text[: self.start]

    @property
    def passage(self) -> str:
        return self.answer.text[self.start : self.end]

    @property
    def after(self) -> str:
        return self.answer.text[self.end :]

    @property
    def original_overall(self) -> Decimal | None:
        return self.hit.feedback.overall


def drill_setup(answer: Answer, mode_key: str, index: int = 0) -> DrillSetup | None:
    """None when the answer's scored feedback has no such finding, or no such passage of it."""
    feedback = scored_feedback(answer_with_feedback(answer))
    hits = feedback.failure_mode_hits.all() if feedback else []
    hit = next((h for h in hits if h.failure_mode.key == mode_key), None)
    if hit is None:
        return None
    found = passages(answer.text, hit.evidence)
    if not 0 <= index < len(found):
        return None
    return DrillSetup(answer, hit, found, index)
