"""Autosaved drafts: the request every open answer page sends every few seconds.

A save is one UPDATE that applies the open rule (`rounds.models.taking_drafts`) in its WHERE
clause, so a draft never lands on an answer the clock has closed. With the page's autosave
token (rounds/autosave.py) the same UPDATE also checks that the session is alive and the
candidate active, so neither is loaded.
"""

import functools
from datetime import UTC, datetime
from typing import Any

from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.db.models import Exists, QuerySet
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from accounts.models import User
from rounds.models import GRACE, MAX_DRAFT_CHARS, Answer, taking_drafts
from rounds.services import RoundError, close_expired_answers, closed_message, normalise


def save_draft(
    *,
    candidate: User,
    round_id: int,
    answer_id: int,
    text: str,
    sequence: int | None = None,
    now: datetime | None = None,
) -> datetime:
    """Store the draft while the answer is open; the time the stored draft was saved.

    `sequence` orders the page's saves (see Answer.draft_sequence): an older one than the
    stored draft changes nothing and answers with the stored draft's time. Without it (the
    no-JavaScript "Save draft" button) the save always applies.

    Raises Answer.DoesNotExist for an answer that is not this candidate's in this round, and
    RoundError (409) when the answer can no longer change.
    """
    now = now or timezone.now()
    text = _draft_text(text)
    if _update_open_draft(candidate.pk, round_id, answer_id, text, now, sequence=sequence):
        return now
    answer = Answer.objects.select_related("round").get(
        pk=answer_id, round_id=round_id, candidate=candidate
    )
    if answer.is_open(now) and sequence is not None and answer.draft_sequence >= sequence:
        return answer.draft_saved_at or now  # a newer save got there first
    if answer.is_expired(now) and not answer.is_submitted:
        close_expired_answers(now=now, round_id=round_id)
    raise RoundError(closed_message(answer, now), status=409)


def save_draft_for_session(
    *,
    candidate_id: int,
    session_key: str,
    round_id: int,
    answer_id: int,
    text: str,
    sequence: int | None = None,
    now: datetime | None = None,
) -> datetime | None:
    """save_draft for a page whose autosave token names the candidate: the same UPDATE, which
    also requires that session alive and the candidate active. None when nothing was saved;
    save_draft then says why."""
    now = now or timezone.now()
    text = _draft_text(text)
    saved = _update_open_draft(
        candidate_id, round_id, answer_id, text, now, sequence=sequence, session_key=session_key
    )
    return now if saved else None


def _draft_text(text: str) -> str:
    text = normalise(text)
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
    sequence: int | None = None,
    session_key: str | None = None,
) -> bool:
    values = {
        "candidate": candidate_id,
        "round": round_id,
        "answer": answer_id,
        "text": text,
        "now": now,
        "sequence": sequence,
        "session_key": session_key,
    }
    sql, slots = _compiled_update(
        connection.alias, with_sequence=sequence is not None, with_session=session_key is not None
    )
    adapted = {
        "now": connection.ops.adapt_datetimefield_value(now),
        "grace_start": connection.ops.adapt_datetimefield_value(now - GRACE),
    }
    params: list[Any] = [
        adapted.get(slot, values.get(slot)) if isinstance(slot, str) else slot[1] for slot in slots
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def draft_update(
    *,
    candidate_id: int,
    round_id: int,
    answer_id: int,
    now: datetime,
    sequence: int | None = None,
    session_key: str | None = None,
) -> QuerySet[Answer]:
    """The answers a draft save may change, as the ORM says it: this candidate's open answer
    (`taking_drafts`), holding an older draft than `sequence`, and, with a session key, that
    session alive and the candidate active (what signing in checks, without loading either)."""
    answers = Answer.objects.filter(
        taking_drafts(now), pk=answer_id, round_id=round_id, candidate_id=candidate_id
    )
    if sequence is not None:
        answers = answers.filter(draft_sequence__lt=sequence)
    if session_key is not None:
        answers = answers.filter(
            Exists(Session.objects.filter(session_key=session_key, expire_date__gt=now)),
            Exists(User.objects.filter(pk=candidate_id, is_active=True)),
        )
    return answers


@functools.cache
def _compiled_update(
    alias: str, *, with_sequence: bool, with_session: bool
) -> tuple[str, list[str | tuple[str, object]]]:
    """draft_update as SQL, compiled once per process and kind of save. Compiling the ORM's
    UPDATE took 2-4 ms, several times running it, on the busiest request the site serves
    (scripts/bench_autosave.py); the WHERE clause is still the ORM's, so `taking_drafts` stays
    the one definition. Each parameter is a slot name, or ("constant", value) to pass as is."""
    # Stand-in values, each unlike any other, whose places in the parameters name the slots.
    numbers = {"candidate": 9_000_000_001, "round": 9_000_000_002, "answer": 9_000_000_003}
    numbers["sequence"] = 9_000_000_004
    texts = {"text": "\x01text\x01", "session_key": "\x01session\x01"}
    marks: dict[str, object] = {**numbers, **texts}
    moment = datetime(2001, 2, 3, 4, 5, 6, 789, tzinfo=UTC)
    answers = draft_update(
        candidate_id=numbers["candidate"],
        round_id=numbers["round"],
        answer_id=numbers["answer"],
        now=moment,
        sequence=numbers["sequence"] if with_sequence else None,
        session_key=texts["session_key"] if with_session else None,
    )
    changes: dict[str, object] = {"draft": texts["text"], "draft_saved_at": moment}
    if with_sequence:
        changes["draft_sequence"] = numbers["sequence"]
    query = answers.query.chain(UpdateQuery)
    assert isinstance(query, UpdateQuery)
    query.add_update_values(changes)
    sql, params = query.get_compiler(alias).as_sql()
    ops = connections[alias].ops
    by_value = {ops.adapt_datetimefield_value(moment): "now"}
    by_value[ops.adapt_datetimefield_value(moment - GRACE)] = "grace_start"
    slots: list[str | tuple[str, object]] = []
    for param in params:
        name = next((n for n, mark in marks.items() if param == mark), None)
        slots.append(name or by_value.get(param) or ("constant", param))
    return sql, slots
