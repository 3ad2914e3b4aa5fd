"""Reading rounds: which questions to ask, the candidate's rounds, and where a round stands."""

import random
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from questions.models import Question
from rounds.models import Answer, Round

# Questions answered more recently than this come after the others.
RECENT = timedelta(days=30)


class NotEnoughQuestions(Exception):
    """Fewer published questions match than were asked for; the message says what to change."""


def rounds_for(user: User) -> QuerySet[Round]:
    """The user's rounds, newest first, with how many main questions each has and has answered."""
    main = Q(answers__follow_up_of__isnull=True)
    return Round.objects.filter(candidate=user).annotate(
        question_count=Count("answers", filter=main),
        answered_count=Count("answers", filter=main & Q(answers__submitted_at__isnull=False)),
    )


def _published(*, kinds: list[str], tag: str = "", company: str = "") -> QuerySet[Question]:
    questions = Question.objects.filter(is_published=True, kind__in=kinds)
    if tag:
        questions = questions.filter(tags__slug=tag)
    if company:
        questions = questions.filter(company__iexact=company)
    return questions


def any_question(*, kind: str, tag: str = "", company: str = "") -> bool:
    return _published(kinds=[kind], tag=tag, company=company).exists()


def pick_questions(
    *,
    candidate: User,
    kinds: list[str],
    count: int,
    tag: str = "",
    company: str = "",
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> list[Question]:
    """`count` published questions of `kinds`, in interview order, the least recently seen first.

    The kinds take turns, so three questions over two kinds are two of the first and one of the
    second. Questions the candidate has not answered in the last 30 days come first (in random
    order), then the least recently answered. Raises NotEnoughQuestions when too few match.
    """
    now = now or timezone.now()
    rng = rng or random.Random()
    questions = _published(kinds=kinds, tag=tag, company=company).annotate(
        last_answered=Max("answers__submitted_at", filter=Q(answers__candidate=candidate))
    )

    def freshness(q: Question) -> tuple[int, float, float]:
        last: datetime | None = q.last_answered  # type: ignore[attr-defined]  # annotated above
        if last is None or last < now - RECENT:
            return (0, 0.0, rng.random())
        return (1, last.timestamp(), rng.random())

    by_kind: dict[str, list[Question]] = {kind: [] for kind in kinds}
    for question in sorted(questions, key=freshness):
        by_kind[question.kind].append(question)

    available = sum(len(qs) for qs in by_kind.values())
    if available < count:
        if not available:
            raise NotEnoughQuestions(
                "No published questions match these filters. Widen the filters."
            )
        raise NotEnoughQuestions(
            f"Only {available} question{'s' if available != 1 else ''} match these filters: "
            f"choose {available} or fewer, or widen the filters."
        )
    picked: list[Question] = []
    while len(picked) < count:
        for kind in kinds:
            if by_kind[kind] and len(picked) < count:
                picked.append(by_kind[kind].pop(0))
    order = {kind: i for i, kind in enumerate(kinds)}
    return sorted(picked, key=lambda q: order[q.kind])


def current_step(round_: Round) -> Answer | None:
    """The answer the candidate should be working on now, or None when all are submitted.

    Questions go in order, each main answer followed by its follow-up (created when the main
    answer was submitted; a main answer without one counts as done)."""
    answers = list(round_.answers.select_related("question").order_by("position", "id"))
    follow_ups = {a.follow_up_of_id: a for a in answers if a.is_follow_up}
    for answer in answers:
        if answer.is_follow_up:
            continue
        if not answer.is_submitted:
            return answer
        follow_up = follow_ups.get(answer.pk)
        if follow_up is not None and not follow_up.is_submitted:
            return follow_up
    return None


def has_begun(round_: Round) -> bool:
    """Whether the candidate has started the round's clock (opened its first question)."""
    return round_.answers.filter(started_at__isnull=False).exists()


def previous_step(answer: Answer) -> Answer | None:
    """The step answered just before this one: its main answer for a follow-up, else the
    previous question's follow-up (or that question itself when it has none)."""
    if answer.follow_up_of is not None:
        return answer.follow_up_of
    if answer.round_id is None:
        return None
    prior = list(Answer.objects.filter(round_id=answer.round_id, position=answer.position - 1))
    return next((a for a in prior if a.is_follow_up), prior[0] if prior else None)


def transcript(main: Answer) -> QuerySet[Answer]:
    """A main answer and, once it exists, its follow-up: in that order."""
    return Answer.objects.filter(Q(pk=main.pk) | Q(follow_up_of=main)).order_by(
        F("follow_up_of").asc(nulls_first=True)
    )


def question_count(round_id: int | None) -> int:
    if round_id is None:
        return 0
    return Answer.objects.filter(round_id=round_id, follow_up_of__isnull=True).count()
