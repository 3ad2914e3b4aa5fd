from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from prep.lib.forms import SourceCheckedForm
from rubrics.models import Criterion, FailureMode, Rubric


@admin.register(FailureMode)
class FailureModeAdmin(admin.ModelAdmin):
    form = SourceCheckedForm
    list_display = ("key", "title", "source_document", "source_section", "rubric_count")
    list_filter = ("source_document",)
    search_fields = ("key", "title")

    def get_queryset(self, request: HttpRequest) -> QuerySet[FailureMode]:
        return super().get_queryset(request).annotate(rubric_count=Count("rubrics"))

    @admin.display(description="rubrics", ordering="rubric_count")
    def rubric_count(self, failure_mode: FailureMode) -> int:
        return failure_mode.rubric_count  # type: ignore[attr-defined]  # annotated above


class CriterionFormSet(BaseInlineFormSet):
    """A rubric's criteria are saved only when their weights add up to exactly 1."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        total = sum((data["weight"] for data in kept), Decimal(0))
        if total != 1:
            parts = ", ".join(f"{data['key']} {data['weight']}" for data in kept) or "no criteria"
            raise ValidationError(
                f"The criterion weights must sum to 1; they sum to {total} ({parts}).",
                code="weights",
            )


class CriterionInline(admin.StackedInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 0
    ordering = ("order", "key")
    fields = (
        ("key", "label"),
        ("aspect", "weight", "order"),
        "description",
        "level_1",
        "level_2",
        "level_3",
        "level_4",
        "level_5",
    )


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "is_default", "weights", "total_weight")
    list_filter = ("kind", "is_default")
    search_fields = ("slug", "name")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("failure_modes",)
    inlines = (CriterionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rubric]:
        criteria = Criterion.objects.order_by("order", "key")
        return super().get_queryset(request).prefetch_related(Prefetch("criteria", criteria))

    @admin.display(description="criterion weights")
    def weights(self, rubric: Rubric) -> str:
        return ", ".join(f"{c.key} {c.weight}" for c in rubric.criteria.all()) or "-"

    @admin.display(description="total")
    def total_weight(self, rubric: Rubric) -> Decimal:
        return sum((c.weight for c in rubric.criteria.all()), Decimal(0))
