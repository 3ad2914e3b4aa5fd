"""Reading for the coaching pages: the queue, a transcript with its reviews, score history and
the inputs of the agreement figures. Permission scoping happens in coaching.permissions."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from coaching import agreement
from coaching.models import CoachLink, Review, ReviewComment, ReviewFlag, ReviewScore
from coaching.permissions import answers_reviewable_by, coached_candidates, reviews_visible_to
from feedback.highlight import locate, merge
from feedback.models import CriterionScore, FailureModeHit, Feedback
from feedback.selectors import best_feedback, feedback_prefetch, scored_feedback
from rounds.models import Answer
from rounds.selectors import transcript
from rubrics.models import FailureMode

# The queue


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def queue_for(
    user: User,
    *,
    candidate: User | None = None,
    kind: str = "",
    failure_mode: FailureMode | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Answer]:
    """Scored transcripts this user may review, each annotated with `reviewed` (by this coach;
    by anyone, for an admin). Newest first."""
    reviews = Review.objects.filter(answer=OuterRef("pk"), status=Review.Status.REVIEWED)
    if not user.is_admin_role:
        reviews = reviews.filter(coach=user)
    answers = (
        answers_reviewable_by(user)
        .filter(follow_up_of__isnull=True, submitted_at__isnull=False)
        .filter(Exists(Feedback.objects.filter(answer=OuterRef("pk"), overall__isnull=False)))
        .annotate(reviewed=Exists(reviews))
    )
    if candidate is not None:
        answers = answers.filter(candidate=candidate)
    if kind:
        answers = answers.filter(kind=kind)
    if failure_mode is not None:
        hits = FailureModeHit.objects.filter(
            Q(feedback__answer=OuterRef("pk")) | Q(feedback__answer__follow_up_of=OuterRef("pk")),
            failure_mode=failure_mode,
        )
        answers = answers.filter(Exists(hits))
    if since:
        answers = answers.filter(submitted_at__gte=_day_start(since))
    if until:
        answers = answers.filter(submitted_at__lt=_day_start(until + timedelta(days=1)))
    return answers.order_by("-submitted_at", "-pk")


def with_status(answers: QuerySet[Answer], status: str) -> QuerySet[Answer]:
    """The queue narrowed to "reviewed" or "unreviewed" transcripts ("all" keeps every one)."""
    if status == "all":
        return answers
    return answers.filter(reviewed=status == "reviewed")  # type: ignore[misc]  # annotated


def queue_counts(answers: QuerySet[Answer]) -> dict[str, int]:
    counted = answers.order_by().values_list("reviewed").annotate(n=Count("pk"))  # type: ignore[misc]
    by_status = dict(counted)
    reviewed, unreviewed = by_status.get(True, 0), by_status.get(False, 0)
    return {"total": reviewed + unreviewed, "reviewed": reviewed, "unreviewed": unreviewed}


def with_queue_details(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    """What a queue row shows, in a fixed number of queries whatever the page size."""
    hits = Prefetch(
        "failure_mode_hits",
        queryset=FailureModeHit.objects.select_related("failure_mode").order_by("id"),
    )
    feedback = Feedback.objects.filter(overall__isnull=False).order_by("-created_at")
    return answers.select_related("candidate", "question", "follow_up").prefetch_related(
        Prefetch("feedback", queryset=feedback.prefetch_related(hits)),
        Prefetch("follow_up__feedback", queryset=feedback.prefetch_related(hits)),
    )


@dataclass
class QueueRow:
    answer: Answer
    feedback: Feedback | None
    failure_modes: list[FailureMode]
    late: bool


def queue_rows(answers: list[Answer]) -> list[QueueRow]:
    rows = []
    for answer in answers:
        follow_up = getattr(answer, "follow_up", None)  # a missing one raises AttributeError
        feedback = best_feedback(answer)
        modes: dict[str, FailureMode] = {}
        for part_feedback in (feedback, best_feedback(follow_up) if follow_up else None):
            for hit in part_feedback.failure_mode_hits.all() if part_feedback else []:
                modes.setdefault(hit.failure_mode.key, hit.failure_mode)
        late = answer.is_late or bool(follow_up and follow_up.is_late)
        rows.append(QueueRow(answer, feedback, list(modes.values()), late))
    return rows


# A transcript


@dataclass(frozen=True)
class Segment:
    """A run of the answer's text; `keys` are the failure modes whose evidence covers it."""

    text: str
    start: int
    end: int
    keys: tuple[str, ...] = ()
    titles: str = ""


def segments(text: str, hits: list[FailureModeHit]) -> list[Segment]:
    titles = {hit.failure_mode.key: hit.failure_mode.title for hit in hits}
    spans = [
        (*place, hit.failure_mode.key)
        for hit in hits
        for evidence in hit.evidence or []
        if (place := locate(text, evidence))
    ]
    out, position = [], 0
    for start, end, keys in merge(spans):
        if start > position:
            out.append(Segment(text[position:start], position, start))
        out.append(
            Segment(text[start:end], start, end, tuple(keys), ", ".join(titles[k] for k in keys))
        )
        position = end
    if position < len(text):
        out.append(Segment(text[position:], position, len(text)))
    return out


@dataclass
class Part:
    answer: Answer
    feedback: Feedback | None
    criteria: list[CriterionScore]
    hits: list[FailureModeHit]
    segments: list[Segment]

    @property
    def is_follow_up(self) -> bool:
        return self.answer.is_follow_up

    @property
    def over_time(self) -> bool:
        used, limit = self.answer.time_used_seconds, self.answer.time_limit_seconds
        return self.answer.is_late or (used is not None and limit is not None and used > limit)


@dataclass
class ReviewedPart:
    part: Part
    scores: list[ReviewScore]
    flags: list[ReviewFlag]
    comments: list[ReviewComment]
    addable: list[FailureMode] = field(default_factory=list)

    @property
    def removed(self) -> dict[str, ReviewFlag]:
        return {
            f.failure_mode.key: f
            for f in self.flags
            if f.failure_mode and f.action == ReviewFlag.Action.REMOVE
        }

    @property
    def added(self) -> list[ReviewFlag]:
        return [f for f in self.flags if f.action == ReviewFlag.Action.ADD]

    @property
    def changed_scores(self) -> list[ReviewScore]:
        return [s for s in self.scores if s.changed]

    @property
    def hit_rows(self) -> list[tuple[FailureModeHit, ReviewFlag | None]]:
        removed = self.removed
        return [(hit, removed.get(hit.failure_mode.key)) for hit in self.part.hits]


@dataclass
class ReviewView:
    review: Review
    parts: list[ReviewedPart]

    @property
    def agrees_with_scorer(self) -> bool:
        return not any(p.changed_scores or p.flags or p.comments for p in self.parts)


@dataclass
class Transcript:
    main: Answer
    parts: list[Part]
    own_review: ReviewView | None
    reviews: list[ReviewView]  # other reviews the viewer may read
    modes: list[FailureMode] = field(default_factory=list)

    @property
    def follow_up(self) -> Answer | None:
        return self.parts[1].answer if len(self.parts) > 1 else None

    def editor_parts(self) -> list[ReviewedPart]:
        """What the review forms start from: the viewer's review, or the scorer's word alone."""
        if self.own_review:
            return self.own_review.parts
        return [
            ReviewedPart(
                part=part,
                scores=[],
                flags=[],
                comments=[],
                addable=[
                    m for m in self.modes if m.pk not in {h.failure_mode_id for h in part.hits}
                ],
            )
            for part in self.parts
        ]

    def score_rows(self) -> list[tuple[Part, list[tuple[str, str, int, int]]]]:
        """Per answer: (criterion key, label, scorer's score, coach's score so far)."""
        rows = []
        for reviewed in self.editor_parts():
            if reviewed.scores:
                found = [(s.key, s.label, s.scorer_score, s.score) for s in reviewed.scores]
            else:
                found = [(c.key, c.label, c.score, c.score) for c in reviewed.part.criteria]
            if found:
                rows.append((reviewed.part, found))
        return rows


def _parts(main: Answer) -> list[Part]:
    answers = sorted(
        transcript(main)
        .select_related("question__rubric", "candidate")
        .prefetch_related(feedback_prefetch()),
        key=lambda a: a.is_follow_up,
    )
    parts = []
    for answer in answers:
        feedback = scored_feedback(answer)
        hits = list(feedback.failure_mode_hits.all()) if feedback else []
        criteria = list(feedback.criterion_scores.all()) if feedback else []
        parts.append(Part(answer, feedback, criteria, hits, segments(answer.text, hits)))
    return parts


def _review_queryset() -> QuerySet[Review]:
    return Review.objects.select_related("coach").prefetch_related(
        "scores",
        Prefetch("flags", queryset=ReviewFlag.objects.select_related("failure_mode")),
        "comments",
    )


def _review_view(review: Review, parts: list[Part], modes: list[FailureMode]) -> ReviewView:
    reviewed = []
    for part in parts:
        pk = part.answer.pk
        flags = [f for f in review.flags.all() if f.answer_id == pk]
        taken = review.scorer_keys(pk) | {f.failure_mode.key for f in flags if f.failure_mode}
        reviewed.append(
            ReviewedPart(
                part=part,
                scores=[s for s in review.scores.all() if s.answer_id == pk],
                flags=flags,
                comments=sorted(
                    (c for c in review.comments.all() if c.answer_id == pk),
                    key=lambda c: (c.start is not None, c.start or 0, c.pk),
                ),
                addable=[m for m in modes if m.key not in taken],
            )
        )
    return ReviewView(review, reviewed)


def load_transcript(main: Answer, *, viewer: User, only: Review | None = None) -> Transcript:
    """The transcript with the viewer's own review (editable) and the other reviews they may
    read; with `only`, just that review."""
    parts = _parts(main)
    modes = list(FailureMode.objects.order_by("title"))
    reviews = list(
        _review_queryset().filter(
            pk__in=reviews_visible_to(viewer).filter(answer=main).values("pk")
        )
    )
    if only is not None:
        reviews = [r for r in reviews if r.pk == only.pk]
    own = next((r for r in reviews if r.coach_id == viewer.pk and only is None), None)
    others = [r for r in reviews if r is not own]
    others.sort(key=lambda r: r.reviewed_at or r.created_at)
    return Transcript(
        main=parts[0].answer,
        parts=parts,
        own_review=_review_view(own, parts, modes) if own else None,
        reviews=[_review_view(r, parts, modes) for r in others],
        modes=modes,
    )


# Scores over time


def coach_overall(scores: dict[str, int], weights: dict[str, Decimal]) -> Decimal | None:
    """The coach's overall score, weighted like the scorer's (equal weights if unknown)."""
    if not scores:
        return None
    used = {key: weights.get(key, Decimal(0)) for key in scores}
    if not sum(used.values()):
        used = dict.fromkeys(scores, Decimal(1))
    total = sum(used[key] * score for key, score in scores.items()) / sum(used.values())
    return Decimal(total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class HistoryRow:
    answer: Answer
    feedback: Feedback | None
    review: Review | None
    coach_overall: Decimal | None
    scorer_scores: dict[str, int]
    coach_scores: dict[str, int]


def score_history(candidate: User, *, viewer: User) -> list[HistoryRow]:
    """The candidate's scored main answers, oldest first, each with the newest finished review
    the viewer may read (a coach: their own)."""
    reviews = (
        reviews_visible_to(viewer)
        .filter(status=Review.Status.REVIEWED)
        .prefetch_related("scores")
        .order_by("-reviewed_at")
    )
    answers = (
        Answer.objects.filter(
            candidate=candidate, follow_up_of__isnull=True, submitted_at__isnull=False
        )
        .select_related("question")
        .prefetch_related(
            feedback_prefetch(),
            Prefetch("reviews", queryset=reviews, to_attr="visible_reviews"),
            "question__rubric__criteria",
        )
        .order_by("submitted_at", "pk")
    )
    rows = []
    for answer in answers:
        feedback = scored_feedback(answer)
        if feedback is None:
            continue
        review = answer.visible_reviews[0] if answer.visible_reviews else None
        coach_scores = (
            {s.key: s.score for s in review.scores.all() if s.answer_id == answer.pk}
            if review
            else {}
        )
        weights = {c.key: c.weight for c in answer.question.rubric.criteria.all()}
        rows.append(
            HistoryRow(
                answer=answer,
                feedback=feedback,
                review=review,
                coach_overall=coach_overall(coach_scores, weights),
                scorer_scores={c.key: c.score for c in feedback.criterion_scores.all()},
                coach_scores=coach_scores,
            )
        )
    return rows


# Agreement


def _reviewed_between(since: date, until: date) -> QuerySet[Review]:
    return Review.objects.filter(
        status=Review.Status.REVIEWED,
        reviewed_at__gte=_day_start(since),
        reviewed_at__lt=_day_start(until + timedelta(days=1)),
    )


def agreement_inputs(
    since: date, until: date
) -> tuple[list[agreement.Judgement], list[agreement.ScorePair]]:
    """Judgements and score pairs of the reviews finished between the two days (inclusive);
    flags in the coach's own words are left out (own_flags_between)."""
    reviews = (
        _reviewed_between(since, until)
        .select_related("answer__question__rubric")
        .prefetch_related(
            "scores",
            Prefetch("flags", queryset=ReviewFlag.objects.select_related("failure_mode")),
            "answer__question__rubric__failure_modes",
        )
        .order_by("reviewed_at", "pk")
    )
    items, pairs = [], []
    for review in reviews:
        universe = [m.key for m in review.answer.question.rubric.failure_modes.all()]
        for answer_id, found in sorted(review.scorer_flags.items()):
            # Flags in the coach's own words name nothing the scorer could find: kept apart.
            flags = [
                (f.failure_mode.key, f)
                for f in review.flags.all()
                if str(f.answer_id) == answer_id and f.failure_mode
            ]
            items += agreement.judgements(
                review_id=review.pk,
                transcript_id=review.answer_id,
                answer_id=int(answer_id),
                universe=universe,
                scorer=found,
                added={key: f.reason for key, f in flags if f.action == "add"},
                removed={key: f.reason for key, f in flags if f.action == "remove"},
            )
        pairs += [
            agreement.ScorePair(
                review_id=review.pk,
                transcript_id=review.answer_id,
                answer_id=s.answer_id,
                criterion=s.key,
                label=s.label,
                scorer=s.scorer_score,
                coach=s.score,
            )
            for s in review.scores.all()
        ]
    return items, pairs


def own_flags_between(since: date, until: date) -> list[agreement.OwnFlag]:
    """Flags coaches wrote in their own words in the reviews finished between the two days."""
    flags = ReviewFlag.objects.filter(
        failure_mode__isnull=True, review__in=_reviewed_between(since, until)
    ).order_by("title", "id")
    return [
        agreement.OwnFlag(
            review_id=f.review_id,
            transcript_id=main_id,
            answer_id=f.answer_id,
            title=f.title,
            reason=f.reason,
        )
        for f in flags.select_related("review")
        for main_id in [f.review.answer_id]
    ]


@dataclass
class PartChanges:
    """What one review changed on one answer of the transcript."""

    is_follow_up: bool
    scores: list[ReviewScore]  # only the changed ones
    added: list[ReviewFlag]
    removed: list[ReviewFlag]
    comments: int

    @property
    def any(self) -> bool:
        return bool(self.scores or self.added or self.removed or self.comments)


@dataclass
class ReviewSummary:
    review: Review
    parts: list[PartChanges]

    def _count(self, what: str) -> int:
        return sum(len(getattr(p, what)) for p in self.parts)

    @property
    def counts(self) -> list[str]:
        """ "2 scores changed", "1 flag added", …: only what the review did."""
        found = [
            (self._count("scores"), "score changed", "scores changed"),
            (self._count("added"), "flag added", "flags added"),
            (self._count("removed"), "flag removed", "flags removed"),
            (sum(p.comments for p in self.parts), "comment", "comments"),
        ]
        return [f"{n} {one if n == 1 else many}" for n, one, many in found if n]


def finished_reviews_of(user: User, answer: Answer) -> list[ReviewSummary]:
    """Finished coach reviews of this answer's transcript that the viewer may read, each with
    what it changed on the answer and on the follow-up (for the candidate's answer page)."""
    main_id = answer.follow_up_of_id or answer.pk
    reviews = (
        reviews_visible_to(user)
        .filter(answer_id=main_id, status=Review.Status.REVIEWED)
        .select_related("coach")
        .prefetch_related("scores", "flags__failure_mode", "comments")
        .order_by("reviewed_at")
    )
    summaries = []
    for review in reviews:
        answer_ids = sorted(
            {main_id}
            | {s.answer_id for s in review.scores.all()}
            | {f.answer_id for f in review.flags.all()}
            | {c.answer_id for c in review.comments.all()},
            key=lambda pk: pk != main_id,
        )
        parts = [
            PartChanges(
                is_follow_up=pk != main_id,
                scores=[s for s in review.scores.all() if s.answer_id == pk and s.changed],
                added=[f for f in review.flags.all() if f.answer_id == pk and f.action == "add"],
                removed=[
                    f for f in review.flags.all() if f.answer_id == pk and f.action == "remove"
                ],
                comments=sum(c.answer_id == pk for c in review.comments.all()),
            )
            for pk in answer_ids
        ]
        summaries.append(ReviewSummary(review, [p for p in parts if p.any]))
    return summaries


# Links, invites and the agreement page's labels


def open_links_of(candidate: User) -> QuerySet[CoachLink]:
    """The candidate's coaches and pending invites (not revoked), oldest first."""
    return (
        CoachLink.objects.filter(candidate=candidate, revoked_at__isnull=True)
        .select_related("coach")
        .order_by("accepted_at", "created_at")
    )


def links_of(candidate: User) -> QuerySet[CoachLink]:
    """Every link the candidate made, revoked ones included: the scope for revoking."""
    return CoachLink.objects.filter(candidate=candidate).select_related("coach", "candidate")


def pending_invite(code: str) -> CoachLink | None:
    return CoachLink.objects.pending().select_related("candidate").filter(code=code).first()


def accepted_invite(code: str, *, coach: User) -> CoachLink | None:
    """The invite with this code if this coach accepted it and still coaches the candidate."""
    return (
        CoachLink.objects.active()
        .select_related("candidate")
        .filter(code=code, coach=coach)
        .first()
    )


def coach_links_of(coach: User) -> QuerySet[CoachLink]:
    """The coach's live links, by candidate name."""
    return (
        CoachLink.objects.active()
        .filter(coach=coach)
        .select_related("candidate")
        .order_by("candidate__username")
    )


def active_links() -> QuerySet[CoachLink]:
    return (
        CoachLink.objects.active()
        .select_related("candidate", "coach")
        .order_by("candidate__username", "coach__username")
    )


def queue_candidates(user: User) -> QuerySet[User]:
    """Whose answers the queue can filter by: an admin's every candidate, a coach's own."""
    return (
        User.objects.filter(role=Role.CANDIDATE) if user.is_admin_role else coached_candidates(user)
    )


def reviewed_answer_ids(user: User, answer_ids: list[int]) -> set[int]:
    """Which of these answers have a finished review the user may read."""
    reviews = reviews_visible_to(user).filter(answer__in=answer_ids, status=Review.Status.REVIEWED)
    return set(reviews.values_list("answer_id", flat=True))


def failure_mode_titles() -> dict[str, str]:
    return dict(FailureMode.objects.values_list("key", "title"))


def reviewer_names(review_ids: set[int]) -> dict[int, str]:
    return dict(Review.objects.filter(pk__in=review_ids).values_list("pk", "coach__username"))


def question_titles(answer_ids: set[int]) -> dict[int, str]:
    return dict(Answer.objects.filter(pk__in=answer_ids).values_list("pk", "question__title"))


def may_review(user: User, answer: Answer) -> bool:
    return answers_reviewable_by(user).filter(pk=answer.pk).exists()


def transcripts_reviewable_by(user: User) -> QuerySet[Answer]:
    """Main answers this user may review, ready for the transcript page."""
    return (
        answers_reviewable_by(user)
        .filter(follow_up_of__isnull=True)
        .select_related("question", "candidate")
    )


def own_flags(main: Answer, coach: User) -> QuerySet[ReviewFlag]:
    return ReviewFlag.objects.filter(review__answer=main, review__coach=coach)


def own_comments(main: Answer, coach: User) -> QuerySet[ReviewComment]:
    return ReviewComment.objects.filter(review__answer=main, review__coach=coach)
