"""Rubrics as the scoring engine's plain inputs, read in a fixed, small number of queries."""

from django.db.models import Prefetch

from rubrics.models import Criterion, Rubric
from scoring.types import CriterionSpec, FailureModeSpec, RubricSpec


def _rubrics():
    return Rubric.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("order", "key")),
        "failure_modes",
    )


def rubric_spec(rubric: Rubric) -> RubricSpec:
    return RubricSpec(
        slug=rubric.slug,
        kind=rubric.kind,
        criteria=tuple(
            CriterionSpec(
                key=c.key,
                label=c.label,
                weight=float(c.weight),
                levels=tuple(c.levels),  # type: ignore[arg-type]  # five, as the model checks
                description=c.description,
                aspect=c.aspect,
            )
            for c in rubric.criteria.all()
        ),
        failure_modes=tuple(
            FailureModeSpec(
                key=f.key,
                title=f.title,
                description=f.description,
                good_rewrite=f.good_rewrite,
                follow_up=f.follow_up,
                signals=f.signals,
                not_when=f.not_when,
                why_it_matters=f.why_it_matters,
                costs=tuple(f.costs),
            )
            for f in sorted(rubric.failure_modes.all(), key=lambda f: f.key)
        ),
    )


def rubric_spec_for_slug(slug: str) -> RubricSpec:
    return rubric_spec(_rubrics().get(slug=slug))


def default_rubric_spec(kind: str) -> RubricSpec:
    """The rubric that scores ad-hoc questions of this kind; Rubric.DoesNotExist if none."""
    return rubric_spec(_rubrics().get(kind=kind, is_default=True))
