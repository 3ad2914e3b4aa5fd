from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from prep.lib.kinds import Difficulty, Kind
from prep.lib.sources import DOCUMENT_CHOICES

MIN_TIME_LIMIT = 60
MAX_TIME_LIMIT = 60 * 60


class TagManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Tag(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)

    objects = TagManager()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class QuestionManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Question(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=120, help_text="A short headline for lists.")
    prompt = models.TextField(help_text="What the interviewer asks.")
    context = models.TextField(
        blank=True, help_text="The product, the market, data the interviewer hands over."
    )
    company = models.CharField(max_length=60, default="TikTok", db_index=True)
    difficulty = models.PositiveSmallIntegerField(
        choices=Difficulty.choices, default=Difficulty.MEDIUM, db_index=True
    )
    time_limit_seconds = models.PositiveIntegerField(
        default=900,
        validators=[MinValueValidator(MIN_TIME_LIMIT), MaxValueValidator(MAX_TIME_LIMIT)],
        help_text="Default time limit, between one minute and one hour.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    intent = models.TextField(help_text="What a strong answer shows the interviewer.")
    exemplary_answer = models.TextField(
        blank=True,
        help_text="A strong answer in our own words, shown only after the candidate has answered.",
    )
    rubric = models.ForeignKey("rubrics.Rubric", on_delete=models.PROTECT, related_name="questions")
    source_document = models.CharField(max_length=60, choices=DOCUMENT_CHOICES)
    source_section = models.CharField(max_length=120)
    is_published = models.BooleanField(default=True)

    objects = QuestionManager()

    class Meta:
        ordering = ["kind", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(time_limit_seconds__gte=MIN_TIME_LIMIT)
                & models.Q(time_limit_seconds__lte=MAX_TIME_LIMIT),
                name="question_time_limit_in_range",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("questions:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def time_limit_minutes(self) -> int:
        return round(self.time_limit_seconds / 60)


class ProbeManager(models.Manager):
    def get_by_natural_key(self, question_slug, order):
        return self.get(question__slug=question_slug, order=order)


class Probe(models.Model):
    """A follow-up the interviewer may push with after the main answer."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="probes")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()
    failure_mode = models.ForeignKey(
        "rubrics.FailureMode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="probes",
        help_text="Ask this probe when the answer shows this failure mode.",
    )

    objects = ProbeManager()

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="probe_order_unique")
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (*self.question.natural_key(), self.order)

    natural_key.dependencies = ["questions.question"]  # type: ignore[attr-defined]
