"""Timed mock rounds, the writes: starting one, the server-owned clock, submissions, the end.

The server owns the clock. Nothing runs until the candidate presses "Start the clock" on the
ready screen (`begin_round`); then each answer's `started_at` and `deadline` are set the first
time the candidate opens it; drafts are accepted until the deadline plus GRACE
(rounds/drafts.py); after that the server submits the last draft itself
(`close_expired_answers`, run by the beat every 15 s and by the pages of a round before they
show it), so a closed tab still ends up with a submitted answer. Text that arrives later is
kept and marked late, never dropped. Every submission is announced with
`rounds.signals.answer_submitted`.
"""

import dataclasses
import logging
import random
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from prep.lib.kinds import Kind
from questions.models import MAX_TIME_LIMIT, MIN_TIME_LIMIT, Question
from rounds import selectors
from rounds.models import GRACE, MAX_ANSWER_CHARS, MAX_DRAFT_CHARS, Answer, Round
from rounds.probes import create_follow_up
from rounds.signals import answer_submitted, round_finished

logger = logging.getLogger(__name__)

MAX_QUESTIONS = 8
# The stages of a real interview loop, in the order they run.
FULL_LOOP = [Kind.PRODUCT_SENSE, Kind.EXECUTION, Kind.BEHAVIORAL, Kind.GTM]
CLOSE_BATCH = 200


class RoundError(Exception):
    """Input refused with a message for the candidate; nothing was changed (but a draft kept).

    `status` is what a view answers: 422 for input it cannot take (empty, too long), 409 when
    the answer or round is closed. (Not 400: in DEBUG, django-htmx shows a 400 as an error page.)
    """

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclasses.dataclass(frozen=True)
class Submission:
    answer: Answer
    created: bool  # False when the answer had been submitted before (a double submit)
    late: bool


@transaction.atomic
def start_round(
    *,
    candidate: User,
    kinds: list[str],
    count: int,
    full_loop: bool = False,
    time_per_question_seconds: int | None = None,
    tag: str = "",
    company: str = "",
    now: datetime | None = None,
    rng: random.Random | None = None,
    start_key: uuid.UUID | None = None,
) -> Round:
    """A new round with one unstarted answer per picked question; RoundError on bad input.
    With the start_key of a round this candidate already started, that round (`_new_round`)."""
    if full_loop:
        kinds, count = list(FULL_LOOP), len(FULL_LOOP)
    unknown = set(kinds) - set(Kind.values)
    if unknown:
        raise RoundError(f"Unknown kind: {', '.join(sorted(unknown))}.")
    if not kinds:
        raise RoundError("Choose at least one kind of question, or a full loop.")
    kinds = [kind for kind in FULL_LOOP if kind in kinds]  # interview order, no repeats
    if not 1 <= count <= MAX_QUESTIONS:
        raise RoundError(f"A round has between 1 and {MAX_QUESTIONS} questions.")
    if time_per_question_seconds is not None and not (
        MIN_TIME_LIMIT <= time_per_question_seconds <= MAX_TIME_LIMIT
    ):
        raise RoundError("Time per question must be between 1 and 60 minutes.")
    if full_loop:
        missing = [
            Kind(kind).label
            for kind in kinds
            if not selectors.any_question(kind=kind, tag=tag, company=company)
        ]
        if missing:
            raise RoundError(
                f"A full loop needs one question of each kind; none matches these filters for: "
                f"{', '.join(missing)}."
            )
    try:
        questions = selectors.pick_questions(
            candidate=candidate,
            kinds=kinds,
            count=count,
            tag=tag,
            company=company,
            now=now,
            rng=rng,
        )
    except selectors.NotEnoughQuestions as exc:
        raise RoundError(str(exc)) from None
    round_, created = _new_round(
        candidate=candidate,
        start_key=start_key,
        kinds=kinds,
        full_loop=full_loop,
        time_per_question_seconds=time_per_question_seconds,
        tag=tag,
        company=company,
    )
    if created:
        _add_answers(round_, questions)
    return round_


@transaction.atomic
def start_practice(
    *,
    candidate: User,
    questions: list[Question],
    time_per_question_seconds: int | None = None,
    start_key: uuid.UUID | None = None,
) -> Round:
    """A round over exactly these questions, in this order: the candidate chose them (from the
    bank, a question's page, or a retry). RoundError when none is chosen, too many, or one is
    not published; nothing is created then. A start_key already used: that round."""
    questions = list({q.pk: q for q in questions}.values())  # each question once
    if not questions:
        raise RoundError("Choose at least one question to practise.")
    if len(questions) > MAX_QUESTIONS:
        raise RoundError(
            f"A round has at most {MAX_QUESTIONS} questions; you chose {len(questions)}."
        )
    if hidden := [q.title for q in questions if not q.is_published]:
        raise RoundError(f"No longer in the question bank: {', '.join(hidden)}.")
    if time_per_question_seconds is not None and not (
        MIN_TIME_LIMIT <= time_per_question_seconds <= MAX_TIME_LIMIT
    ):
        raise RoundError("Time per question must be between 1 and 60 minutes.")
    present = {q.kind for q in questions}
    round_, created = _new_round(
        candidate=candidate,
        start_key=start_key,
        kinds=[kind for kind in Kind.values if kind in present],
        time_per_question_seconds=time_per_question_seconds,
    )
    if created:
        _add_answers(round_, questions)
    return round_


def _new_round(*, candidate: User, start_key: uuid.UUID | None, **fields) -> tuple[Round, bool]:
    """(round, created): a new round, or the one this candidate started with the same key (the
    same form sent twice). Of two sent at once, the second waits on the unique key until the
    first commits, then finds its round."""
    if start_key is None:
        return Round.objects.create(candidate=candidate, **fields), True
    if found := Round.objects.filter(candidate=candidate, start_key=start_key).first():
        return found, False
    try:
        with transaction.atomic():
            return Round.objects.create(candidate=candidate, start_key=start_key, **fields), True
    except IntegrityError:
        return Round.objects.get(candidate=candidate, start_key=start_key), False


def _add_answers(round_: Round, questions: list[Question]) -> None:
    """One unstarted answer per question, in order."""
    seconds = round_.time_per_question_seconds
    Answer.objects.bulk_create(
        Answer(
            candidate=round_.candidate,
            round=round_,
            position=position,
            question=question,
            kind=question.kind,
            prompt=question.prompt,
            time_limit_seconds=seconds or question.time_limit_seconds,
        )
        for position, question in enumerate(questions, start=1)
    )


def begin_round(*, round_: Round, now: datetime | None = None) -> Answer | None:
    """Start the clock on the round's first question: the candidate has read the ready screen.

    Safe to repeat: once begun, the round goes on where it stands (`advance`). The form that
    started it may be sent again from the browser's history: from now on that starts a new one."""
    Round.objects.filter(pk=round_.pk, start_key__isnull=False).update(start_key=None)
    step = advance(round_, now=now)
    if step is not None:
        open_answer(answer=step, now=now)
    return step


def open_answer(*, answer: Answer, now: datetime | None = None) -> Answer:
    """Start the answer's clock the first time it is opened; later opens change nothing."""
    if answer.started_at is not None or answer.is_submitted:
        return answer
    now = now or timezone.now()
    limit = answer.time_limit_seconds or answer.question.time_limit_seconds
    deadline = now + timedelta(seconds=limit)
    # Two tabs opening at once: the first UPDATE wins and the other reads its clock.
    started = Answer.objects.filter(pk=answer.pk, started_at__isnull=True).update(
        started_at=now, deadline=deadline, time_limit_seconds=limit
    )
    if started:
        answer.started_at, answer.deadline, answer.time_limit_seconds = now, deadline, limit
    else:
        answer.refresh_from_db(fields=["started_at", "deadline", "time_limit_seconds"])
    return answer


def closed_message(answer: Answer, now: datetime) -> str:
    """Why this answer takes no more text, for the candidate."""
    if answer.round and answer.round.is_finished:
        return "This round is finished, so its answers can no longer change."
    if answer.is_submitted and not answer.auto_submitted:
        return "This answer has already been submitted; the draft was not changed."
    if answer.is_submitted or answer.is_expired(now):
        return (
            "Time is up: your last saved draft has been submitted. Submit again to keep what "
            "you added since; it will be marked late."
        )
    return "This question has not been opened yet."


def submit_answer(*, answer: Answer, text: str, now: datetime | None = None) -> Submission:
    """Submit the candidate's answer; safe to repeat.

    Empty and oversized answers raise RoundError and submit nothing (an oversized one is kept
    as the draft). After the deadline plus GRACE the answer is stored and marked late; if the
    server had already submitted the draft, the new text goes to `late_text`.
    """
    now = now or timezone.now()
    text = normalise(text)
    error: RoundError | None = None
    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update(of=("self",))
            .select_related("round", "question")
            .get(pk=answer.pk)
        )
        if answer.round and answer.round.is_finished:
            raise RoundError(closed_message(answer, now), status=409)
        if answer.is_submitted:
            # The server submitted the draft at the deadline; what arrives now is kept as late.
            late = answer.auto_submitted and not answer.late_text and text.strip()
            if late and text != answer.text:
                answer.late_text, answer.is_late = text[:MAX_DRAFT_CHARS], True
                answer.save(update_fields=["late_text", "is_late"])
            return Submission(answer, created=False, late=answer.is_late)
        if answer.started_at is None:
            raise RoundError(closed_message(answer, now), status=409)
        if not text.strip():
            if answer.deadline is not None and now >= answer.deadline:
                # Time ran out with nothing typed: close it as the server would.
                _auto_submit(answer, now)
                return Submission(answer, created=True, late=False)
            raise RoundError("Your answer is empty: write your answer before submitting.")
        if len(text) > MAX_ANSWER_CHARS:
            answer.draft, answer.draft_saved_at = text[:MAX_DRAFT_CHARS], now
            answer.save(update_fields=["draft", "draft_saved_at"])
            error = RoundError(
                f"Your answer is {len(text):,} characters; the limit is {MAX_ANSWER_CHARS:,}. "
                f"It is saved as your draft: shorten it and submit again."
            )
        else:
            answer.text = answer.draft = text
            answer.submitted_at = now
            answer.is_late = answer.is_expired(now)
            # Inside the grace the candidate had all their time, not a second more.
            ended = now if answer.is_late or not answer.deadline else min(now, answer.deadline)
            answer.time_used_seconds = round((ended - answer.started_at).total_seconds())
            answer.save(
                update_fields=["text", "draft", "submitted_at", "time_used_seconds", "is_late"]
            )
            _after_submit(answer)
    if error:
        raise error
    return Submission(answer, created=True, late=answer.is_late)


def normalise(text: str) -> str:
    # Browsers send textarea line breaks as CRLF; scorer offsets count "\n" as one character.
    # NUL is never typed, and PostgreSQL text cannot hold it.
    return text.replace("\r\n", "\n").replace("\x00", "")


def _auto_submit(answer: Answer, now: datetime, *, follow_up: bool = True) -> None:
    answer.text = answer.draft
    answer.submitted_at = now
    answer.auto_submitted = True
    answer.time_used_seconds = answer.time_limit_seconds
    if answer.started_at and answer.deadline:
        ended = min(now, answer.deadline)
        answer.time_used_seconds = max(0, round((ended - answer.started_at).total_seconds()))
    answer.save(update_fields=["text", "submitted_at", "auto_submitted", "time_used_seconds"])
    _after_submit(answer, follow_up=follow_up)


def _after_submit(answer: Answer, *, follow_up: bool = True) -> None:
    if follow_up and not answer.is_follow_up and answer.round_id:
        create_follow_up(answer=answer)
    answer_submitted.send(sender=Answer, answer=answer)


def close_expired_answers(*, now: datetime | None = None, round_id: int | None = None) -> int:
    """Submit the drafts of open answers past their deadline and grace; how many were closed.

    This is what makes a closed tab end well: the beat runs it every 15 s, and every view of
    the round runs it for that round.
    """
    now = now or timezone.now()
    expired = Answer.objects.filter(
        submitted_at__isnull=True, deadline__lt=now - GRACE, round__finished_at__isnull=True
    )
    if round_id is not None:
        expired = expired.filter(round_id=round_id)
    closed = 0
    for answer_id in list(expired.values_list("pk", flat=True)[:CLOSE_BATCH]):
        with transaction.atomic():
            answer = (
                Answer.objects.select_for_update(of=("self",))
                .select_related("question")
                .filter(pk=answer_id, submitted_at__isnull=True)
                .first()
            )
            if answer is None:  # submitted meanwhile by the candidate or another sweep
                continue
            _auto_submit(answer, now)
            closed += 1
    if closed:
        logger.info("submitted %s expired drafts", closed)
    return closed


def advance(round_: Round, *, now: datetime | None = None) -> Answer | None:
    """Bring the round up to date before the candidate goes on: submit the drafts whose time
    ran out, then return the answer to work on now; with none left, finish the round."""
    if round_.is_finished:
        return None
    close_expired_answers(now=now, round_id=round_.pk)
    if step := selectors.current_step(round_):
        return step
    finish_round(round_=round_, now=now)
    return None


@transaction.atomic
def finish_round(*, round_: Round, now: datetime | None = None) -> Round:
    """Close the round: drafts of opened answers are submitted, unopened ones stay unanswered."""
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.is_finished:
        return round_
    open_answers = (
        round_.answers.select_for_update(of=("self",))
        .select_related("question")
        .filter(submitted_at__isnull=True, started_at__isnull=False)
        .exclude(draft="")
    )
    for answer in open_answers:
        _auto_submit(answer, now, follow_up=False)
    round_.finished_at = now
    round_.save(update_fields=["finished_at"])
    round_finished.send(sender=Round, round=round_)
    return round_
