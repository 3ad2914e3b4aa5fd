from django.db import models
from django.db.models import Q


class Drill(models.Model):
    """A fix-it drill: one flagged passage of a scored answer rewritten and the whole answer
    scored again with the change. The answer and its feedback are never changed."""

    answer = models.ForeignKey("rounds.Answer", on_delete=models.CASCADE, related_name="drills")
    failure_mode = models.ForeignKey(
        "rubrics.FailureMode", on_delete=models.PROTECT, related_name="drills"
    )
    start = models.PositiveIntegerField(help_text="Where the passage starts in the answer.")
    end = models.PositiveIntegerField()
    passage = models.TextField(help_text="The flagged passage as the answer has it.")
    rewrite = models.TextField(help_text="What the candidate wrote in its place.")
    text = models.TextField(help_text="The whole answer with the rewrite in place.")
    overall = models.DecimalField(max_digits=3, decimal_places=2)
    failure_modes = models.JSONField(
        default=list, blank=True, help_text="Keys of the failure modes found in `text`."
    )
    criteria = models.JSONField(
        default=list, blank=True, help_text="The criterion scores of `text`: key, label, score."
    )
    cleared = models.BooleanField(help_text="The drilled failure mode is no longer found.")
    scorer = models.CharField(max_length=60, help_text="The scorer and version that rescored.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["answer_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="drill_overall_in_range"
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="drill_passage"),
        ]

    def __str__(self):
        return f"Drill on {self.failure_mode_id} in answer {self.answer_id}"

    @property
    def before(self) -> str:
        return self.text[: self.start]

    @property
    def after(self) -> str:
        return self.text[self.start + len(self.rewrite) :]
