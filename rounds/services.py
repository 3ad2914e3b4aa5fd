"""Timed mock rounds: starting one, the server-owned clock, drafts, submissions and follow-ups.

The server owns the clock. An answer's `started_at` and `deadline` are set the first time the
candidate opens it; drafts are accepted until the deadline plus GRACE; after that the server
submits the last draft itself (`close_expired_answers`, run by the beat every 15 s and lazily
whenever the round is viewed), so a closed tab still ends up with a submitted answer. Text
that arrives later is kept and marked late, never dropped.
"""

import dataclasses
import logging
import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from questions.kinds import Kind
from questions.models import MAX_TIME_LIMIT, MIN_TIME_LIMIT, Question
from rounds.models import FOLLOW_UP_SECONDS, GRACE, MAX_ANSWER_CHARS, MAX_DRAFT_CHARS, Answer, Round
from rubrics.models import FailureMode
from scoring.registry import get_scorer
from scoring.services import request_scoring
from scoring.specs import specs_for_question

logger = logging.getLogger(__name__)
User = get_user_model()

MAX_QUESTIONS = 8
# The stages of a real interview loop, in the order they run.
FULL_LOOP = [Kind.PRODUCT_SENSE, Kind.EXECUTION, Kind.BEHAVIORAL, Kind.GTM]
# Questions answered more recently than this come after the others.
RECENT = timedelta(days=30)
# The fast, pure scorer whose findings pick the follow-up probe while the candidate waits.
QUICK_SCORER = "heuristic"
# Which finding the interviewer pushes on when the quick pass finds several: first what leaves
# the question unanswered or the plan unsafe, then what leaves it unproven, then the rest.
PROBE_PRIORITY = [
    "no_recommendation",
    "premature_scaling",
    "no_measurement_plan",
    "vanity_metrics",
    "no_diagnosis",
    "no_prioritization",
    "no_user_focus",
    "lagging_only",
    "siloed_marketing",
    "vague_result",
]
DEFAULT_PROBE = "What is the biggest risk in your answer, and how would you find out early?"
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


@dataclasses.dataclass(frozen=True)
class ProbeChoice:
    text: str
    failure_mode: str | None  # the failure mode that led to it, if any


def pick_questions(
    *,
    candidate: AbstractBaseUser,
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
    order), then the least recently answered. Raises RoundError when too few match.
    """
    now = now or timezone.now()
    rng = rng or random.Random()
    questions = Question.objects.filter(is_published=True, kind__in=kinds)
    if tag:
        questions = questions.filter(tags__slug=tag)
    if company:
        questions = questions.filter(company__iexact=company)
    questions = questions.annotate(
        last_answered=Max("answers__submitted_at", filter=Q(answers__candidate=candidate))
    )

    def freshness(q: Question) -> tuple[int, float, float]:
        if q.last_answered is None or q.last_answered < now - RECENT:
            return (0, 0.0, rng.random())
        return (1, q.last_answered.timestamp(), rng.random())

    by_kind: dict[str, list[Question]] = {kind: [] for kind in kinds}
    for question in sorted(questions, key=freshness):
        by_kind[question.kind].append(question)

    available = sum(len(qs) for qs in by_kind.values())
    if available < count:
        if not available:
            raise RoundError("No published questions match these filters. Widen the filters.")
        raise RoundError(
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


@transaction.atomic
def start_round(
    *,
    candidate: AbstractBaseUser,
    kinds: list[str],
    count: int,
    full_loop: bool = False,
    time_per_question_seconds: int | None = None,
    tag: str = "",
    company: str = "",
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Round:
    """A new round with one unstarted answer per picked question; RoundError on bad input."""
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
            if not _any_question(kind=kind, tag=tag, company=company)
        ]
        if missing:
            raise RoundError(
                f"A full loop needs one question of each kind; none matches these filters for: "
                f"{', '.join(missing)}."
            )
    questions = pick_questions(
        candidate=candidate, kinds=kinds, count=count, tag=tag, company=company, now=now, rng=rng
    )
    round_ = Round.objects.create(
        candidate=candidate,
        kinds=kinds,
        full_loop=full_loop,
        time_per_question_seconds=time_per_question_seconds,
        tag=tag,
        company=company,
    )
    Answer.objects.bulk_create(
        Answer(
            candidate=candidate,
            round=round_,
            position=position,
            question=question,
            kind=question.kind,
            prompt=question.prompt,
            time_limit_seconds=time_per_question_seconds or question.time_limit_seconds,
        )
        for position, question in enumerate(questions, start=1)
    )
    return round_


def _any_question(*, kind: str, tag: str, company: str) -> bool:
    questions = Question.objects.filter(is_published=True, kind=kind)
    if tag:
        questions = questions.filter(tags__slug=tag)
    if company:
        questions = questions.filter(company__iexact=company)
    return questions.exists()


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


def save_draft(
    *,
    candidate: AbstractBaseUser,
    round_id: int,
    answer_id: int,
    text: str,
    now: datetime | None = None,
) -> datetime:
    """Store the draft in one UPDATE while the answer is open; the time it was saved.

    Raises Answer.DoesNotExist for an answer that is not this candidate's in this round, and
    RoundError (409) when the answer can no longer change.
    """
    now = now or timezone.now()
    text = _draft_text(text)
    if _update_open_draft(candidate.pk, round_id, answer_id, text, now):
        return now
    answer = Answer.objects.select_related("round").get(
        pk=answer_id, round_id=round_id, candidate=candidate
    )
    if answer.is_expired(now) and not answer.is_submitted:
        close_expired_answers(now=now, round_id=round_id)
    raise RoundError(_closed_message(answer, now), status=409)


def save_draft_for_session(
    *,
    candidate_id: int,
    session_key: str,
    round_id: int,
    answer_id: int,
    text: str,
    now: datetime | None = None,
) -> datetime | None:
    """save_draft for a page whose autosave token names the candidate (rounds/autosave.py):
    the same UPDATE, which also requires that session still alive and the candidate active, so
    neither needs loading. None when nothing was saved; save_draft then says why."""
    now = now or timezone.now()
    text = _draft_text(text)
    if _update_open_draft(candidate_id, round_id, answer_id, text, now, session_key=session_key):
        return now
    return None


def _draft_text(text: str) -> str:
    text = _normalise(text)
    if len(text) > MAX_DRAFT_CHARS:
        raise RoundError(
            f"Your draft is {len(text):,} characters; drafts are limited to "
            f"{MAX_DRAFT_CHARS:,}. It was not saved: shorten it."
        )
    return text


def _update_open_draft(
    candidate_id: int,
    round_id: int,
    answer_id: int,
    text: str,
    now: datetime,
    *,
    session_key: str | None = None,
) -> bool:
    """The autosave's one UPDATE, written as SQL: every open tab sends one every few seconds,
    and building the ORM's joined update cost several times running it (see
    scripts/bench_autosave.py). The conditions are save_draft's: started, not submitted, the
    round not finished, the deadline plus GRACE not passed; with a session key, also that
    session alive and the candidate active, which is what signing in checks."""
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"UPDATE {Answer._meta.db_table} SET draft = %s, draft_saved_at = %s"
        " WHERE id = %s AND round_id = %s AND candidate_id = %s"
        " AND started_at IS NOT NULL AND submitted_at IS NULL"
        " AND (deadline IS NULL OR deadline >= %s)"
        f" AND NOT EXISTS (SELECT 1 FROM {Round._meta.db_table} r"
        " WHERE r.id = %s AND r.finished_at IS NOT NULL)"
    )
    params = [text, adapt(now), answer_id, round_id, candidate_id, adapt(now - GRACE), round_id]
    if session_key is not None:
        sql += (
            f" AND EXISTS (SELECT 1 FROM {Session._meta.db_table} s"
            " WHERE s.session_key = %s AND s.expire_date > %s)"
            f" AND EXISTS (SELECT 1 FROM {User._meta.db_table} u"
            " WHERE u.id = %s AND u.is_active)"
        )
        params += [session_key, adapt(now), candidate_id]
    # A draft is a snapshot the page sends again in full every few seconds, so it need not
    # wait for the disk: without the flush an autosave used about 40% less CPU. A database
    # crash can lose only the last fraction of a second of drafts, never consistency; submits
    # keep the synchronous commit. One round trip: the two statements run as one implicit
    # transaction, which SET LOCAL applies to (inside a transaction it would apply to all).
    no_flush = connection.vendor == "postgresql" and connection.get_autocommit()
    with connection.cursor() as cursor:
        cursor.execute(("SET LOCAL synchronous_commit TO OFF; " if no_flush else "") + sql, params)
        if no_flush:
            cursor.nextset()  # from the SET's result to the UPDATE's
        return cursor.rowcount == 1


def _closed_message(answer: Answer, now: datetime) -> str:
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
    text = _normalise(text)
    error: RoundError | None = None
    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update(of=("self",))
            .select_related("round", "question")
            .get(pk=answer.pk)
        )
        if answer.round and answer.round.is_finished:
            raise RoundError(_closed_message(answer, now), status=409)
        if answer.is_submitted:
            # The server submitted the draft at the deadline; what arrives now is kept as late.
            late = answer.auto_submitted and not answer.late_text and text.strip()
            if late and text != answer.text:
                answer.late_text, answer.is_late = text[:MAX_DRAFT_CHARS], True
                answer.save(update_fields=["late_text", "is_late"])
            return Submission(answer, created=False, late=answer.is_late)
        if answer.started_at is None:
            raise RoundError(_closed_message(answer, now), status=409)
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
            answer.time_used_seconds = round((now - answer.started_at).total_seconds())
            answer.is_late = answer.is_expired(now)
            answer.save(
                update_fields=["text", "draft", "submitted_at", "time_used_seconds", "is_late"]
            )
            _after_submit(answer)
    if error:
        raise error
    return Submission(answer, created=True, late=answer.is_late)


def _normalise(text: str) -> str:
    # Browsers send textarea line breaks as CRLF; scorer offsets count "\n" as one character.
    return text.replace("\r\n", "\n")


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
    request_scoring(answer)


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


def quick_failure_modes(answer: Answer) -> list[str]:
    """Failure-mode keys the quick heuristic pass finds in the answer, most salient first."""
    try:
        rubric, question = specs_for_question(answer.question)
        question = dataclasses.replace(question, prompt=answer.prompt)
        result = get_scorer(QUICK_SCORER).score(
            rubric, question, answer.text, time_used_seconds=answer.time_used_seconds
        )
    except Exception:
        # The follow-up must not cost the candidate their submission: ask a general probe.
        logger.exception("quick pass failed on answer %s", answer.pk)
        return []
    return [finding.key for finding in result.failure_modes]


def choose_probe(question: Question, failure_mode_keys: list[str]) -> ProbeChoice:
    """The interviewer's follow-up for an answer showing these failure modes.

    The failure modes are taken in PROBE_PRIORITY order. A probe written for this question and
    one of them comes first; then the failure mode's own follow-up ("How would you know it
    worked?"); with no failure mode, the question's general probe.
    """
    rank = {key: i for i, key in enumerate(PROBE_PRIORITY)}
    failure_mode_keys = sorted(failure_mode_keys, key=lambda k: rank.get(k, len(rank)))
    probes = list(question.probes.select_related("failure_mode").order_by("order"))
    for key in failure_mode_keys:
        for probe in probes:
            if probe.failure_mode and probe.failure_mode.key == key:
                return ProbeChoice(probe.text, key)
    if failure_mode_keys:
        follow_ups = dict(
            FailureMode.objects.filter(key__in=failure_mode_keys).values_list("key", "follow_up")
        )
        for key in failure_mode_keys:
            if follow_ups.get(key):
                return ProbeChoice(follow_ups[key], key)
    general = [probe for probe in probes if probe.failure_mode is None] or probes
    if general:
        return ProbeChoice(general[0].text, None)
    return ProbeChoice(DEFAULT_PROBE, None)


@transaction.atomic
def create_follow_up(*, answer: Answer) -> Answer:
    """The follow-up to a submitted main answer, chosen from what the quick pass found."""
    if answer.is_follow_up or not answer.is_submitted:
        raise ValueError("a follow-up follows a submitted main answer")
    existing = Answer.objects.filter(follow_up_of=answer).first()
    if existing:
        return existing
    probe = choose_probe(answer.question, quick_failure_modes(answer))
    return Answer.objects.create(
        candidate_id=answer.candidate_id,
        round_id=answer.round_id,
        position=answer.position,
        question_id=answer.question_id,
        kind=answer.kind,
        prompt=probe.text,
        follow_up_of=answer,
        time_limit_seconds=FOLLOW_UP_SECONDS,
    )


def next_step(round_: Round) -> Answer | None:
    """The answer the candidate should be working on now, or None when all are submitted."""
    answers = list(round_.answers.select_related("question").order_by("position", "id"))
    follow_ups = {a.follow_up_of_id: a for a in answers if a.is_follow_up}
    for answer in answers:
        if answer.is_follow_up:
            continue
        if not answer.is_submitted:
            return answer
        follow_up = follow_ups.get(answer.pk) or create_follow_up(answer=answer)
        if not follow_up.is_submitted:
            return follow_up
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
    return round_
