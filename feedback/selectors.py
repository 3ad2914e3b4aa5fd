"""Reading feedback: an answer's best feedback and what its panel shows, a round's summary,
and the answers scoring has still to reach."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from feedback.highlight import highlight, locate
from feedback.models import CriterionScore, FailureModeHit, Feedback
from rounds.models import Answer, Round
from rubrics.models import FailureMode

# An answer still unscored this long after submission has lost its task (broker down, worker
# killed past its retries); the periodic sweep queues it again.
SWEEP_AFTER = timedelta(minutes=3)


def feedback_prefetch(lookup: str = "feedback") -> Prefetch:
    """An answer's feedback with its scores and findings, newest first (best_feedback reads it)."""
    return Prefetch(
        lookup,
        queryset=Feedback.objects.order_by("-created_at").prefetch_related(
            Prefetch("criterion_scores", queryset=CriterionScore.objects.order_by("order")),
            Prefetch(
                "failure_mode_hits",
                queryset=FailureModeHit.objects.select_related("failure_mode").order_by("id"),
            ),
        ),
    )


def best_feedback(answer: Answer) -> Feedback | None:
    """The newest feedback that has scores, else the newest failed one (uses the prefetch)."""
    feedback = sorted(answer.feedback.all(), key=lambda f: f.created_at, reverse=True)
    return next((f for f in feedback if f.overall is not None), feedback[0] if feedback else None)


def scored_feedback(answer: Answer) -> Feedback | None:
    """The newest feedback with scores (uses the prefetch); None while unscored or failed."""
    feedback = best_feedback(answer)
    return feedback if feedback is not None and feedback.overall is not None else None


def answer_with_feedback(answer: Answer) -> Answer:
    return Answer.objects.prefetch_related(feedback_prefetch()).get(pk=answer.pk)


@dataclass
class Finding:
    key: str
    title: str
    advice: str
    anchor: str
    quotes: list[str]


@dataclass
class AnswerFeedback:
    answer: Answer
    feedback: Feedback | None
    criteria: list[CriterionScore] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    highlighted: SafeString | str = ""

    @property
    def pending(self) -> bool:
        return self.answer.is_submitted and self.feedback is None

    @property
    def failed(self) -> bool:
        return self.feedback is not None and self.feedback.overall is None

    @property
    def fit(self) -> dict:
        return self.feedback.fit if self.feedback else {}

    @property
    def follow_up(self) -> dict:
        """A follow-up's verdict on the probed weakness: "verdict", "message", "probed_title"."""
        raw = (self.feedback.raw or {}).get("raw") or {} if self.feedback else {}
        return dict(raw.get("follow_up") or {})

    @property
    def summary(self) -> str:
        """Why a low score is low when no finding says so."""
        return str((self.feedback.raw or {}).get("summary", "")) if self.feedback else ""

    @property
    def pacing(self) -> str:
        """The scorer's note on time used; it is never part of the scores."""
        return str((self.feedback.raw or {}).get("pacing", "")) if self.feedback else ""


def feedback_for(answer: Answer) -> AnswerFeedback:
    """What the feedback panel shows: scores, findings and the answer with evidence marked.

    `answer` must come from `answer_with_feedback` (or carry the same prefetch).
    """
    feedback = best_feedback(answer)
    if feedback is None or feedback.overall is None:
        return AnswerFeedback(answer, feedback, highlighted=answer.text)

    def anchor(key: str) -> str:
        return f"advice-{answer.pk}-{key}"

    findings, spans = [], []
    for hit in feedback.failure_mode_hits.all():
        key = hit.failure_mode.key
        quotes = []
        for evidence in hit.evidence or []:
            if place := locate(answer.text, evidence):
                spans.append((*place, key))
                quotes.append(answer.text[place[0] : place[1]])
        advice = hit.advice or hit.failure_mode.good_rewrite
        findings.append(Finding(key, hit.failure_mode.title, advice, anchor(key), quotes))
    return AnswerFeedback(
        answer,
        feedback,
        criteria=list(feedback.criterion_scores.all()),
        findings=findings,
        highlighted=highlight(answer.text, spans, anchor=anchor),
    )


VERDICT_WORDS = {
    "fixed": "fixed",
    "partly": "partly fixed",
    "not_fixed": "not fixed",
    "off_probe": "off the probe",
}


@dataclass
class QuestionSummary:
    main: Answer
    follow_up: Answer | None
    main_feedback: Feedback | None
    follow_up_feedback: Feedback | None
    time_used: int
    time_given: int
    used_percent: int = 0
    given_percent: int = 0

    @property
    def follow_up_verdict(self) -> str:
        """Whether the follow-up fixed the weakness its probe targeted, in a few words."""
        feedback = self.follow_up_feedback
        raw = ((feedback.raw or {}).get("raw") or {}) if feedback else {}
        verdict = (raw.get("follow_up") or {}).get("verdict", "")
        return VERDICT_WORDS.get(verdict, "")

    @property
    def late(self) -> bool:
        return self.main.is_late or bool(self.follow_up and self.follow_up.is_late)


@dataclass
class RoundSummary:
    round: Round
    questions: list[QuestionSummary]
    failure_modes: list[tuple[FailureMode, int]]
    time_used: int
    time_given: int
    pending: bool


def round_summary(round_: Round) -> RoundSummary:
    """Per question: scores of the answer and its follow-up and the time used against the time
    given; for the round: how often each failure mode was seen, and the totals."""
    answers = list(
        round_.answers.select_related("question")
        .prefetch_related(feedback_prefetch())
        .order_by("position", "id")
    )
    follow_ups = {a.follow_up_of_id: a for a in answers if a.is_follow_up}
    questions: list[QuestionSummary] = []
    seen: Counter[str] = Counter()
    pending = False
    modes: dict[str, FailureMode] = {}
    for main in (a for a in answers if not a.is_follow_up):
        follow_up = follow_ups.get(main.pk)
        pair = [a for a in (main, follow_up) if a is not None]
        feedback = [best_feedback(a) for a in pair]
        for answer, found in zip(pair, feedback, strict=True):
            pending |= answer.is_submitted and found is None
            for hit in found.failure_mode_hits.all() if found else []:
                seen[hit.failure_mode.key] += 1
                modes[hit.failure_mode.key] = hit.failure_mode
        questions.append(
            QuestionSummary(
                main=main,
                follow_up=follow_up,
                main_feedback=feedback[0],
                follow_up_feedback=feedback[1] if follow_up else None,
                time_used=sum(a.time_used_seconds or 0 for a in pair),
                # Time is given when the candidate opens the question, not before.
                time_given=sum(a.time_limit_seconds or 0 for a in pair if a.started_at),
            )
        )
    longest = max([max(q.time_used, q.time_given) for q in questions] or [1]) or 1
    for q in questions:
        q.used_percent = round(100 * q.time_used / longest)
        q.given_percent = round(100 * q.time_given / longest)
    return RoundSummary(
        round=round_,
        questions=questions,
        failure_modes=[(modes[key], count) for key, count in seen.most_common()],
        time_used=sum(q.time_used for q in questions),
        time_given=sum(q.time_given for q in questions),
        pending=pending,
    )


def unscored_answers(older_than: timedelta = SWEEP_AFTER) -> QuerySet[Answer]:
    """Submitted answers with no feedback at all, submitted more than `older_than` ago."""
    return (
        Answer.objects.filter(submitted_at__lte=timezone.now() - older_than)
        .filter(~Exists(Feedback.objects.filter(answer=OuterRef("pk"))))
        .order_by("submitted_at", "pk")
    )


def submitted_answers(
    *,
    rubric: str | None = None,
    kind: str | None = None,
    question: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Answer]:
    """Submitted answers, filtered by rubric slug, kind, question slug and submission time."""
    answers = Answer.objects.filter(submitted_at__isnull=False)
    if rubric:
        answers = answers.filter(question__rubric__slug=rubric)
    if kind:
        answers = answers.filter(kind=kind)
    if question:
        answers = answers.filter(question__slug=question)
    if since:
        answers = answers.filter(submitted_at__gte=since)
    return answers.order_by("pk")
