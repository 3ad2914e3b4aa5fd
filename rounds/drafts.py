"""Autosaved drafts: the request every open answer page sends every few seconds.

A save is one UPDATE that applies the open rule (`rounds.models.taking_drafts`) in its WHERE
clause, so a draft never lands on an answer the clock has closed. With the page's autosave
token (rounds/autosave.py) the same UPDATE also checks that the session is alive and the
candidate active, so neither is loaded.
"""

from datetime import datetime

from django.contrib.sessions.models import Session
from django.db.models import Exists
from django.utils import timezone

from accounts.models import User
from rounds.models import MAX_DRAFT_CHARS, Answer, taking_drafts
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
    answers = Answer.objects.filter(
        taking_drafts(now), pk=answer_id, round_id=round_id, candidate_id=candidate_id
    )
    changes: dict = {"draft": text, "draft_saved_at": now}
    if sequence is not None:
        answers = answers.filter(draft_sequence__lt=sequence)
        changes["draft_sequence"] = sequence
    if session_key is not None:
        # What signing in checks, without loading the session or the user.
        answers = answers.filter(
            Exists(Session.objects.filter(session_key=session_key, expire_date__gt=now)),
            Exists(User.objects.filter(pk=candidate_id, is_active=True)),
        )
    return answers.update(**changes) == 1
