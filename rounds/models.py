from django.conf import settings
from django.db import models

from questions.kinds import Kind

MAX_ANSWER_CHARS = 20_000


class Answer(models.Model):
    """What a candidate submitted for one question (or for the interviewer's follow-up)."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.PROTECT, related_name="answers"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    prompt = models.TextField(help_text="What was asked: the question's prompt or the probe.")
    follow_up_of = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_up"
    )
    text = models.TextField(blank=True)
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    time_used_seconds = models.PositiveIntegerField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.candidate} on {self.question_id}"
