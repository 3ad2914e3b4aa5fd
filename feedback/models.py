from django.db import models
from django.db.models import F, Q


class Feedback(models.Model):
    """One scorer version's verdict on one answer; its scores and findings are rows below it."""

    answer = models.ForeignKey("rounds.Answer", on_delete=models.CASCADE, related_name="feedback")
    scorer = models.CharField(max_length=40, db_index=True)
    scorer_version = models.CharField(max_length=40)
    rubric = models.ForeignKey(
        "rubrics.Rubric", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overall = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, help_text="Empty when it failed."
    )
    raw = models.JSONField(default=dict, blank=True, help_text="What the scorer returned.")
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(help_text="When the scorer was called.")
    duration_ms = models.PositiveIntegerField(help_text="How long the scorer took.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        constraints = [
            # Redelivered or concurrent tasks meet here and leave exactly one row.
            models.UniqueConstraint(
                fields=["answer", "scorer", "scorer_version"],
                name="feedback_one_per_scorer_version",
            ),
            models.CheckConstraint(
                condition=Q(overall__isnull=True) | Q(overall__gte=1, overall__lte=5),
                name="feedback_overall_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.scorer_id} on answer {self.answer_id}"

    @property
    def scorer_id(self) -> str:
        return f"{self.scorer}-{self.scorer_version}"

    @property
    def fit(self) -> dict:
        """Question fit as the scorer reported it: coverage, verdict, what was asked, "message"."""
        return dict((self.raw or {}).get("fit") or {})


class CriterionScore(models.Model):
    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="criterion_scores"
    )
    criterion = models.ForeignKey(
        "rubrics.Criterion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Key and label are copied so feedback still reads right after the rubric is edited.
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField(default=5)
    rationale = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["feedback_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "key"], name="feedback_one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=F("max_score")),
                name="feedback_criterion_score_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.score}/{self.max_score}"


class FailureModeHit(models.Model):
    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="failure_mode_hits"
    )
    failure_mode = models.ForeignKey(
        "rubrics.FailureMode", on_delete=models.PROTECT, related_name="hits"
    )
    evidence = models.JSONField(
        default=list, blank=True, help_text="Quoted spans of the answer: start, end, quote."
    )
    advice = models.TextField(blank=True)

    class Meta:
        ordering = ["feedback_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "failure_mode"], name="feedback_one_hit_per_failure_mode"
            )
        ]

    def __str__(self):
        return f"failure mode {self.failure_mode_id} in feedback {self.feedback_id}"
