"""Coach links, reviews and notifications: every write of the coaching app goes through here.

Each function either does all it says or raises CoachingError with a message for the person
who asked, having changed nothing. The scorer's Feedback rows are only ever read.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from coaching.models import (
    MAX_FLAG_TITLE,
    MAX_SCORE,
    CoachLink,
    Notification,
    Review,
    ReviewComment,
    ReviewFlag,
    ReviewScore,
)
from feedback.selectors import answer_with_feedback, feedback_prefetch, scored_feedback
from rounds.models import Answer
from rounds.selectors import transcript
from rubrics.models import FailureMode

MAX_REASON = 1000
MAX_COMMENT = 5000


class CoachingError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def notify(user: User, text: str, url: str = "") -> Notification:
    return Notification.objects.create(user=user, text=text[:300], url=url)


# Links between candidates and coaches


def create_invite(*, candidate: User) -> CoachLink:
    if candidate.role != Role.CANDIDATE:
        raise CoachingError("Only candidates invite coaches.")
    return CoachLink.objects.create(candidate=candidate, created_by=candidate)


@transaction.atomic
def accept_invite(*, code: str, coach: User, now: datetime | None = None) -> CoachLink:
    link = (
        CoachLink.objects.select_for_update()
        .select_related("candidate")
        .filter(code=code.strip())
        .first()
    )
    if link is None or link.revoked_at is not None:
        raise CoachingError("This invite code is not valid, or it was withdrawn.")
    if link.accepted_at is not None:
        if link.coach_id == coach.pk:
            return link
        raise CoachingError("This invite has already been accepted by another coach.")
    if coach.role != Role.COACH:
        raise CoachingError("Only a coach account can accept an invite.")
    if coach.pk == link.candidate_id:
        raise CoachingError("You cannot coach yourself.")
    if CoachLink.objects.active().filter(candidate=link.candidate, coach=coach).exists():
        raise CoachingError(f"You already coach {link.candidate.username}.")
    link.coach, link.accepted_at = coach, now or timezone.now()
    link.save(update_fields=["coach", "accepted_at"])
    notify(
        link.candidate,
        f"{coach.username} accepted your invite and is now your coach.",
        reverse("coaching:my_coaches"),
    )
    return link


@transaction.atomic
def revoke_link(*, link: CoachLink, by: User, now: datetime | None = None) -> CoachLink:
    if link.revoked_at is not None:
        raise CoachingError("This link was already revoked.")
    link.revoked_at = now or timezone.now()
    link.save(update_fields=["revoked_at"])
    if link.coach and link.accepted_at and link.coach_id != by.pk:
        notify(link.coach, f"{link.candidate.username} is no longer your candidate.")
    return link


@transaction.atomic
def assign_coach(
    *, candidate: User, coach: User, by: User, now: datetime | None = None
) -> CoachLink:
    """An admin links a coach to a candidate directly, with no invite to accept."""
    if candidate.role != Role.CANDIDATE:
        raise CoachingError(f"{candidate.username} is not a candidate.")
    if coach.role != Role.COACH:
        raise CoachingError(f"{coach.username} is not a coach.")
    if CoachLink.objects.filter(candidate=candidate, coach=coach, revoked_at__isnull=True).exists():
        raise CoachingError(f"{coach.username} already coaches {candidate.username}.")
    link = CoachLink.objects.create(
        candidate=candidate, coach=coach, created_by=by, accepted_at=now or timezone.now()
    )
    notify(coach, f"You now coach {candidate.username}.", reverse("coaching:queue"))
    notify(candidate, f"{coach.username} is now your coach.", reverse("coaching:my_coaches"))
    return link


# Reviews


def _snapshot(review: Review) -> None:
    """Copy what the scorer said about each answer of the transcript that it has scored and
    the review has not yet seen (a follow-up can be scored after the review began)."""
    flags = dict(review.scorer_flags)
    for answer in transcript(review.answer).prefetch_related(feedback_prefetch()):
        if str(answer.pk) in flags or (feedback := scored_feedback(answer)) is None:
            continue
        ReviewScore.objects.bulk_create(
            ReviewScore(
                review=review,
                answer=answer,
                key=row.key,
                label=row.label,
                scorer_score=row.score,
                score=row.score,
                order=row.order,
            )
            for row in feedback.criterion_scores.all()
        )
        flags[str(answer.pk)] = sorted(h.failure_mode.key for h in feedback.failure_mode_hits.all())
    if flags != review.scorer_flags:
        review.scorer_flags = flags
        review.save(update_fields=["scorer_flags", "updated_at"])


@transaction.atomic
def start_review(*, answer: Answer, coach: User) -> Review:
    """The coach's review of this transcript, begun now if it does not exist yet."""
    if answer.follow_up_of_id is not None:
        raise CoachingError("Review the main answer; its follow-up is part of the same transcript.")
    if scored_feedback(answer_with_feedback(answer)) is None:
        raise CoachingError("This answer has not been scored yet, so there is nothing to review.")
    try:
        with transaction.atomic():
            review, _ = Review.objects.get_or_create(answer=answer, coach=coach)
    except IntegrityError:  # a double click began it at the same moment
        review = Review.objects.get(answer=answer, coach=coach)
    _snapshot(review)
    return review


def _part_of(review: Review, answer_id: int | str | None) -> Answer:
    for answer in transcript(review.answer):
        if str(answer.pk) == str(answer_id):
            return answer
    raise CoachingError("That answer is not part of this transcript.")


@transaction.atomic
def set_scores(*, review: Review, scores: dict[tuple[int, str], int]) -> list[ReviewScore]:
    """Set the coach's scores, keyed by (answer id, criterion key); the rest stay as they are."""
    rows = {(s.answer_id, s.key): s for s in review.scores.all()}
    unknown = [key for key in scores if key not in rows]
    if unknown:
        raise CoachingError(f"No criterion {unknown[0][1]!r} was scored on this transcript.")
    for score in scores.values():
        if not isinstance(score, int) or not 1 <= score <= MAX_SCORE:
            raise CoachingError(f"Scores go from 1 to {MAX_SCORE}; {score!r} is not one.")
    changed = []
    for key, score in scores.items():
        if rows[key].score != score:
            rows[key].score = score
            changed.append(rows[key])
    ReviewScore.objects.bulk_update(changed, ["score"])
    review.save(update_fields=["updated_at"])
    return changed


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CoachingError("Give a reason, so the candidate and the rubric authors learn from it.")
    if len(reason) > MAX_REASON:
        raise CoachingError(f"Keep the reason under {MAX_REASON} characters.")
    return reason


@transaction.atomic
def flag(
    *, review: Review, answer_id: int | str, failure_mode_key: str, action: str, reason: str
) -> ReviewFlag:
    """Add a failure mode the scorer missed, or remove one it found, with the coach's reason."""
    if action not in ReviewFlag.Action.values:
        raise CoachingError("A flag is either added or removed.")
    answer = _part_of(review, answer_id)
    reason = _reason(reason)
    mode = FailureMode.objects.filter(key=failure_mode_key).first()
    if mode is None:
        raise CoachingError("Choose a failure mode from the list.")
    found = mode.key in review.scorer_keys(answer.pk)
    if action == ReviewFlag.Action.ADD and found:
        raise CoachingError(f"The scorer already found “{mode.title}” here.")
    if action == ReviewFlag.Action.REMOVE and not found:
        raise CoachingError(f"The scorer did not find “{mode.title}” here, so it cannot go.")
    if review.flags.filter(answer=answer, failure_mode=mode).exists():
        raise CoachingError(f"You already changed “{mode.title}” here; undo that first.")
    review.save(update_fields=["updated_at"])
    return ReviewFlag.objects.create(
        review=review, answer=answer, failure_mode=mode, action=action, reason=reason
    )


@transaction.atomic
def add_own_flag(*, review: Review, answer_id: int | str, title: str, reason: str) -> ReviewFlag:
    """A problem in the coach's own words, for what none of the failure modes names."""
    answer = _part_of(review, answer_id)
    title = " ".join((title or "").split())
    if not title:
        raise CoachingError("Give the flag a short title.")
    if len(title) > MAX_FLAG_TITLE:
        raise CoachingError(f"Keep the title under {MAX_FLAG_TITLE} characters.")
    reason = _reason(reason)
    mode = FailureMode.objects.filter(title__iexact=title).first()
    if mode is not None:
        raise CoachingError(f"“{mode.title}” is one of the failure modes: choose it from the list.")
    if review.flags.filter(answer=answer, title__iexact=title).exists():
        raise CoachingError(f"You already flagged “{title}” here.")
    review.save(update_fields=["updated_at"])
    return ReviewFlag.objects.create(
        review=review, answer=answer, title=title, action=ReviewFlag.Action.ADD, reason=reason
    )


def undo_flag(*, flag: ReviewFlag) -> None:
    flag.delete()


@transaction.atomic
def add_comment(
    *,
    review: Review,
    answer_id: int | str,
    text: str,
    start: int | None = None,
    end: int | None = None,
    quote: str = "",
) -> ReviewComment:
    answer = _part_of(review, answer_id)
    text = (text or "").strip()
    if not text:
        raise CoachingError("Write the comment first.")
    if len(text) > MAX_COMMENT:
        raise CoachingError(f"Keep a comment under {MAX_COMMENT} characters.")
    if (start is None) != (end is None):
        raise CoachingError("A passage needs both its start and its end.")
    if start is not None and end is not None:
        if not 0 <= start < end <= len(answer.text):
            raise CoachingError("That passage is not inside the answer.")
        if answer.text[start:end] != quote:
            raise CoachingError("The passage does not match the answer's text; select it again.")
    else:
        quote = ""
    review.save(update_fields=["updated_at"])
    return ReviewComment.objects.create(
        review=review, answer=answer, start=start, end=end, quote=quote, text=text
    )


def delete_comment(*, comment: ReviewComment) -> None:
    comment.delete()


@transaction.atomic
def mark_reviewed(*, review: Review, comment: str, now: datetime | None = None) -> Review:
    """Finish the review: keep the overall comment, and tell the candidate the first time."""
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise CoachingError(f"Keep the comment under {MAX_COMMENT} characters.")
    _snapshot(review)
    first_time = not review.is_reviewed
    review.comment = comment
    review.status = Review.Status.REVIEWED
    if first_time:
        review.reviewed_at = now or timezone.now()
    review.save(update_fields=["comment", "status", "reviewed_at", "updated_at"])
    if first_time:
        answer = review.answer
        notify(
            answer.candidate,
            f"{review.coach.username} reviewed your answer to “{answer.question.title}”.",
            review.get_absolute_url(),
        )
    return review


def read_notifications(*, user: User, limit: int = 100) -> tuple[list[Notification], set[int]]:
    """The user's newest notifications, and which of them were unread: showing them reads them."""
    items = list(Notification.objects.filter(user=user)[:limit])
    new = {n.pk for n in items if n.read_at is None}
    Notification.objects.filter(pk__in=new).update(read_at=timezone.now())
    return items, new
