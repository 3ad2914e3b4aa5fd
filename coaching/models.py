import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

MAX_SCORE = 5


def new_invite_code() -> str:
    return secrets.token_urlsafe(12)


class CoachLinkQuerySet(models.QuerySet):
    def active(self) -> "CoachLinkQuerySet":
        """Links that give the coach access: accepted (or assigned) and not revoked."""
        return self.filter(accepted_at__isnull=False, revoked_at__isnull=True, coach__isnull=False)

    def pending(self) -> "CoachLinkQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class CoachLink(models.Model):
    """A candidate's coach: an invite until a coach accepts it, or a link an admin assigned."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_links"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coached_links",
        help_text="Empty while the invite waits for a coach.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    code = models.CharField(max_length=32, unique=True, default=new_invite_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField(blank=True, help_text="Where the candidate sent the invite.")
    emailed_at = models.DateTimeField(null=True, blank=True)
    round_emails = models.BooleanField(
        default=True, help_text="The coach is emailed when the candidate finishes a round."
    )
    rounds_emailed_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Rounds finished up to this moment have been emailed to the coach (or were "
        "finished while the emails were off).",
    )
    round_email_sent_at = models.DateTimeField(null=True, blank=True)

    objects = CoachLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(coach=F("candidate")), name="coach_link_not_self"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(coach__isnull=False),
                name="coach_link_accepted_has_coach",
            ),
            # A pair has at most one live link; revoked ones stay as history.
            models.UniqueConstraint(
                fields=["candidate", "coach"],
                condition=Q(revoked_at__isnull=True, coach__isnull=False),
                name="one_live_link_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.coach or 'invite'} coaching {self.candidate}"

    @property
    def is_active(self) -> bool:
        return self.coach_id is not None and self.accepted_at is not None and not self.revoked_at

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def get_invite_url(self) -> str:
        return reverse("coaching:accept", args=[self.code])


class Review(models.Model):
    """One coach's review of one transcript (a main answer and its follow-up).

    The scorer's Feedback is never changed: the review keeps what the scorer said when the
    review began (`scorer_flags`, ReviewScore.scorer_score) and the coach's corrections beside it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        REVIEWED = "reviewed", "Reviewed"

    answer = models.ForeignKey("rounds.Answer", on_delete=models.CASCADE, related_name="reviews")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_written"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(blank=True, help_text="The coach's comment on the whole answer.")
    scorer_flags = models.JSONField(
        default=dict,
        blank=True,
        help_text="Failure modes the scorer found when the review began: {answer id: [keys]}.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "coach"], name="one_review_per_coach"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reviewed_at__isnull=False),
                name="reviewed_review_has_date",
            ),
        ]

    def __str__(self):
        return f"Review of answer {self.answer_id} by {self.coach}"

    def get_absolute_url(self):
        return reverse("coaching:review", args=[self.pk])

    @property
    def is_reviewed(self) -> bool:
        return self.status == self.Status.REVIEWED

    def scorer_keys(self, answer_id: int) -> set[str]:
        return set(self.scorer_flags.get(str(answer_id), []))


class ReviewScore(models.Model):
    """The coach's score for one criterion of one answer, beside what the scorer gave.

    A row exists for every criterion the scorer scored, changed or not, so agreement figures
    count the coach's agreements as well as the corrections.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    answer = models.ForeignKey("rounds.Answer", on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    scorer_score = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review_id", "answer_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "answer", "key"], name="one_review_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=MAX_SCORE)
                & Q(scorer_score__gte=1, scorer_score__lte=MAX_SCORE),
                name="review_score_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.score} (scorer {self.scorer_score})"

    @property
    def changed(self) -> bool:
        return self.score != self.scorer_score


MAX_FLAG_TITLE = 80


class ReviewFlag(models.Model):
    """A coach adding a failure mode the scorer missed, or removing one it wrongly found; or
    adding a problem in their own words (`title`, no failure mode), which the agreement
    figures keep apart since the scorer could never have found it."""

    class Action(models.TextChoices):
        ADD = "add", "Added"
        REMOVE = "remove", "Removed"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="flags")
    answer = models.ForeignKey("rounds.Answer", on_delete=models.CASCADE, related_name="+")
    failure_mode = models.ForeignKey(
        "rubrics.FailureMode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_flags",
    )
    title = models.CharField(
        max_length=MAX_FLAG_TITLE, blank=True, help_text="A flag in the coach's own words."
    )
    action = models.CharField(max_length=6, choices=Action.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review_id", "answer_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "answer", "failure_mode"], name="one_flag_per_failure_mode"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="review_flag_has_reason"),
            models.CheckConstraint(
                condition=Q(action__in=["add", "remove"]), name="review_flag_action_valid"
            ),
            # A failure mode, or else an added flag with its own title.
            models.CheckConstraint(
                condition=Q(failure_mode__isnull=False, title="")
                | (Q(failure_mode__isnull=True, action="add") & ~Q(title="")),
                name="review_flag_mode_or_own_title",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.label} on answer {self.answer_id}"

    @property
    def is_own(self) -> bool:
        """Written in the coach's own words rather than chosen from the failure modes."""
        return self.failure_mode_id is None

    @property
    def label(self) -> str:
        return self.failure_mode.title if self.failure_mode else self.title


class ReviewComment(models.Model):
    """A coach's comment on a passage of an answer, or on the whole of it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey("rounds.Answer", on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review_id", "answer_id", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="review_comment_has_text"),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True, quote="")
                | Q(start__isnull=False, end__gt=F("start")),
                name="review_comment_passage_complete",
            ),
        ]

    def __str__(self):
        return f"Comment on answer {self.answer_id}"

    @property
    def is_on_passage(self) -> bool:
        return self.start is not None

    def clean(self) -> None:
        if self.start is None and self.end is None:
            return
        if self.start is None or self.end is None or not 0 <= self.start < self.end:
            raise ValidationError("A passage needs a start before its end.")
        if self.answer.text[self.start : self.end] != self.quote:
            raise ValidationError("The passage does not match the answer's text; select it again.")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return self.text
