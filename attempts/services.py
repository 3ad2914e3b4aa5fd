"""Practising chosen questions, retrying one, and fix-it drills: the writes.

A practice or a retry is an ordinary round over the chosen questions (rounds.services), so it
has the same clock, autosave, follow-up and feedback. A drill scores a rewrite synchronously
with the heuristic scorer and stores the result beside the answer, which it never changes.
"""

import uuid
from decimal import Decimal

from accounts.models import User
from attempts.drills import MAX_REWRITE_CHARS, apply_rewrite
from attempts.models import Drill
from attempts.selectors import DrillSetup
from feedback.services import score_text
from questions.models import Question
from rounds import services as rounds_services
from rounds.models import MAX_ANSWER_CHARS, Answer, Round

# Offline and fast enough to answer within the request.
DRILL_SCORER = "heuristic"


class DrillError(Exception):
    """A rewrite refused with a message for the candidate; nothing was stored."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def practise(*, candidate: User, slugs: list[str], start_key: uuid.UUID | None = None) -> Round:
    """A round over the published questions with these slugs, in the order given.
    RoundError (nothing created) when none is given or one is not in the bank."""
    slugs = list(dict.fromkeys(s.strip() for s in slugs if s.strip()))
    if not slugs:
        raise rounds_services.RoundError("Choose at least one question to practise.")
    found = {q.slug: q for q in Question.objects.filter(slug__in=slugs, is_published=True)}
    if missing := [slug for slug in slugs if slug not in found]:
        shown = ", ".join(missing[:3]) + (" …" if len(missing) > 3 else "")
        raise rounds_services.RoundError(f"Not in the question bank: {shown}. Nothing was started.")
    return rounds_services.start_practice(
        candidate=candidate, questions=[found[slug] for slug in slugs], start_key=start_key
    )


def retry(*, answer: Answer, start_key: uuid.UUID | None = None) -> Round:
    """A new round over the question of this (submitted, main) answer."""
    if not answer.is_submitted:
        raise rounds_services.RoundError("Answer the question once before retrying it.")
    return rounds_services.start_practice(
        candidate=answer.candidate, questions=[answer.question], start_key=start_key
    )


def run_drill(*, setup: DrillSetup, rewrite: str) -> Drill:
    """Put the rewrite in place of the passage, score the whole answer so changed, store it."""
    rewrite = rounds_services.normalise(rewrite).strip()
    if not rewrite:
        raise DrillError("Write your version of the passage first.")
    if rewrite == setup.passage.strip():
        raise DrillError("That is the passage as it was: change it, then rescore.")
    if len(rewrite) > MAX_REWRITE_CHARS:
        raise DrillError(
            f"Your rewrite is {len(rewrite):,} characters; keep it under {MAX_REWRITE_CHARS:,}."
        )
    text = apply_rewrite(setup.answer.text, setup.start, setup.end, rewrite)
    if len(text) > MAX_ANSWER_CHARS:
        raise DrillError(f"With this rewrite the answer passes {MAX_ANSWER_CHARS:,} characters.")
    result = score_text(setup.answer, text, DRILL_SCORER)
    found = [f.key for f in result.failure_modes]
    return Drill.objects.create(
        answer=setup.answer,
        failure_mode=setup.hit.failure_mode,
        start=setup.start,
        end=setup.end,
        passage=setup.passage,
        rewrite=rewrite,
        text=text,
        overall=Decimal(str(result.overall)),
        failure_modes=found,
        criteria=[{"key": c.key, "label": c.label, "score": c.score} for c in result.criteria],
        cleared=setup.hit.failure_mode.key not in found,
        scorer=result.scorer_id,
    )
