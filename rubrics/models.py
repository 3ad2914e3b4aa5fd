from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from prep.lib.kinds import Kind
from prep.lib.sources import DOCUMENT_CHOICES
from scoring.heuristic.criteria import BY_NAME as ASPECTS
from scoring.heuristic.signals import signal_problems

ASPECT_CHOICES = [(name, name.replace("_", " ")) for name in ASPECTS]


def validate_costs(value: Any) -> None:
    """Refuses anything but a list of known criterion aspects, naming the unknown ones."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("costs: a list of criterion aspects", code="costs")
    unknown = [v for v in value if v not in ASPECTS]
    if unknown:
        raise ValidationError(
            f"costs: unknown aspect {', '.join(unknown)} (known: {', '.join(ASPECTS)})",
            code="costs",
        )


def validate_signals(value: Any) -> None:
    """Refuses signals the heuristic scorer could not compile (a bad regex, an unknown key or
    feature), naming the field, so that no rubric's answers fail to score later."""
    problems = signal_problems(value)
    if problems:
        raise ValidationError(problems, code="signals")


class FailureModeManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class FailureMode(models.Model):
    """A way answers fail that interviewers reject candidates for."""

    key = models.SlugField(max_length=40, unique=True, help_text="Stable; scorers refer to it.")
    title = models.CharField(max_length=100)
    description = models.TextField()
    why_rejected = models.TextField(help_text="Why interviewers reject an answer that shows it.")
    bad_example = models.TextField()
    good_rewrite = models.TextField()
    follow_up = models.CharField(
        max_length=200, blank=True, help_text="The probe an interviewer pushes with."
    )
    probe_priority = models.PositiveSmallIntegerField(
        default=100,
        help_text="When an answer shows several failure modes, the follow-up probes the one "
        "with the lowest number first.",
    )
    not_when = models.TextField(
        blank=True,
        help_text="What looks like it but is not it, as the labelling guide says; the LLM scorer "
        'is told "Not present when …".',
    )
    why_it_matters = models.CharField(
        max_length=200, blank=True, help_text="Why it costs an answer, as the advice says it."
    )
    costs = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_costs],
        help_text="The criterion aspects whose score it lowers: " + ", ".join(ASPECTS) + ".",
    )
    signals = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_signals],
        help_text="Cues the heuristic scorer reads (see scoring).",
    )
    source_document = models.CharField(max_length=60, choices=DOCUMENT_CHOICES)
    source_section = models.CharField(max_length=120)

    objects = FailureModeManager()

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.key,)


class RubricManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Rubric(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    is_default = models.BooleanField(
        default=False, help_text="Scores ad-hoc questions of this kind."
    )
    description = models.TextField(blank=True)
    failure_modes = models.ManyToManyField(FailureMode, blank=True, related_name="rubrics")

    objects = RubricManager()

    class Meta:
        ordering = ["kind", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_default=True),
                name="one_default_rubric_per_kind",
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class CriterionManager(models.Manager):
    def get_by_natural_key(self, rubric_slug, key):
        return self.get(rubric__slug=rubric_slug, key=key)


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    aspect = models.CharField(
        max_length=20,
        choices=ASPECT_CHOICES,
        default="general",
        help_text="What the criterion asks about: the structure that earns it credit and the "
        "failure modes that cost it. Renaming the label does not change scoring.",
    )
    description = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    order = models.PositiveSmallIntegerField(default=1)
    level_1 = models.TextField("1: poor")
    level_2 = models.TextField("2: weak")
    level_3 = models.TextField("3: adequate")
    level_4 = models.TextField("4: strong")
    level_5 = models.TextField("5: exceptional")

    objects = CriterionManager()

    class Meta:
        ordering = ["rubric", "order", "key"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["rubric", "key"], name="criterion_key_unique")
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (*self.rubric.natural_key(), self.key)

    natural_key.dependencies = ["rubrics.rubric"]  # type: ignore[attr-defined]

    @property
    def levels(self) -> list[str]:
        return [self.level_1, self.level_2, self.level_3, self.level_4, self.level_5]
