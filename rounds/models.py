from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from prep.lib.kinds import Kind

MAX_ANSWER_CHARS = 20_000
# A draft may grow past the submit limit (the candidate is told and can trim it), but not forever.
MAX_DRAFT_CHARS = 2 * MAX_ANSWER_CHARS
# Submissions this long after the deadline still count as on time (network, a slow click).
GRACE = timedelta(seconds=10)
FOLLOW_UP_SECONDS = 180


def taking_drafts(now: datetime) -> Q:
    """The one definition of an open answer, for queries: opened, not submitted, its round not
    finished, and its deadline plus GRACE not passed. Answer.is_open is the same in Python."""
    finished_round = Round.objects.filter(pk=OuterRef("round_id"), finished_at__isnull=False)
    return (
        Q(started_at__isnull=False, submitted_at__isnull=True)
        & ~Exists(finished_round)
        & (Q(deadline__isnull=True) | Q(deadline__gte=now - GRACE))
    )


class Round(models.Model):
    """A mock interview: a few questions answered against the clock, each with a follow-up."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rounds"
    )
    kinds = models.JSONField(default=list, help_text="The kinds asked, in interview order.")
    full_loop = models.BooleanField(default=False)
    time_per_question_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: each question's own limit."
    )
    tag = models.CharField(max_length=50, blank=True)
    company = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The key of the form that started it (prep.lib.once): the same form sent twice is one round.
    start_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "start_key"], name="one_round_per_start_key"
            )
        ]

    def __str__(self):
        return f"Round {self.pk} of {self.candidate}"

    def get_absolute_url(self):
        return reverse("practice:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Answer(models.Model):
    """One question (or the interviewer's follow-up) of a round, from first view to submission.

    The server owns the clock: `started_at` and `deadline` are set when the candidate first
    opens the question, the draft is autosaved, and the draft is submitted for the candidate
    when the deadline passes.
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    position = models.PositiveSmallIntegerField(default=1)
    question = models.ForeignKey(
        "questions.Question", on_delete=models.PROTECT, related_name="answers"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    prompt = models.TextField(help_text="What was asked: the question's prompt or the probe.")
    follow_up_of = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_up"
    )
    probe_failure_mode = models.CharField(
        max_length=40,
        blank=True,
        help_text="A follow-up: the failure-mode key of the weakness its probe targeted "
        "(empty for a general probe). The follow-up is scored on whether it resolves it.",
    )
    draft = models.TextField(blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    draft_sequence = models.BigIntegerField(
        default=0,
        help_text="Order of the page's saves: a save carrying a lower number than the stored one "
        "is older (a late request, a reloaded page) and changes nothing.",
    )
    text = models.TextField(blank=True)
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    time_used_seconds = models.PositiveIntegerField(null=True, blank=True)
    auto_submitted = models.BooleanField(
        default=False, help_text="Submitted by the server when the time ran out."
    )
    is_late = models.BooleanField(default=False)
    late_text = models.TextField(
        blank=True, help_text="What arrived after the draft had been submitted at the deadline."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["round_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position"],
                condition=models.Q(follow_up_of__isnull=True),
                name="one_main_answer_per_round_position",
            )
        ]

    def __str__(self):
        return f"{self.candidate} on {self.question_id}"

    def get_absolute_url(self):
        return reverse("practice:answer", args=[self.round_id, self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_follow_up(self) -> bool:
        return self.follow_up_of_id is not None

    @property
    def timed_out(self) -> bool:
        """Submitted by the deadline rather than by the candidate: by the server, or by the
        page when its countdown reached zero (a second later, inside the grace)."""
        if self.submitted_at is None:
            return False
        if self.auto_submitted:
            return True
        return self.deadline is not None and self.submitted_at >= self.deadline and not self.is_late

    def seconds_left(self, now=None) -> int | None:
        if self.deadline is None:
            return self.time_limit_seconds
        now = now or timezone.now()
        return max(0, int((self.deadline - now).total_seconds()))

    def is_open(self, now=None) -> bool:
        """Takes drafts now: `taking_drafts` in Python (tests/test_rounds_open_rule.py compares)."""
        now = now or timezone.now()
        return (
            self.started_at is not None
            and self.submitted_at is None
            and not (self.round is not None and self.round.is_finished)
            and not self.is_expired(now)
        )

    def is_expired(self, now=None) -> bool:
        """Past the deadline and its grace, so the server may submit the draft."""
        now = now or timezone.now()
        return self.deadline is not None and now > self.deadline + GRACE
