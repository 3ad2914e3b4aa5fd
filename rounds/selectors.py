"""Reading rounds for the pages: the candidate's rounds, an answer's feedback, a round's summary."""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.safestring import SafeString

from rounds.highlight import highlight, locate
from rounds.models import Answer, Round
from rubrics.models import FailureMode
from scoring.models import CriterionScore, FailureModeHit, Feedback


def rounds_for(user: AbstractBaseUser) -> QuerySet[Round]:
    """The user's rounds, newest first, with how many main questions each has and has answered."""
    main = Q(answers__follow_up_of__isnull=True)
    return Round.objects.filter(candidate=user).annotate(
        question_count=Count("answers", filter=main),
        answered_count=Count("answers", filter=main & Q(answers__submitted_at__isnull=False)),
    )


def _feedback_prefetch() -> Prefetch:
    return Prefetch(
        "feedback",
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


def answer_with_feedback(answer: Answer) -> Answer:
    return Answer.objects.prefetch_related(_feedback_prefetch()).get(pk=answer.pk)


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
        .prefetch_related(_feedback_prefetch())
        .order_by("position", "id")
    )
    follow_ups = {a.follow_up_of_id: a for a in answers if a.is_follow_up}
    questions, seen, pending = [], Counter(), False
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
