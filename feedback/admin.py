from django.contrib import admin

from feedback.models import CriterionScore, FailureModeHit, Feedback


class ReadOnlyMixin:
    """Feedback is what a scorer said; editing it by hand would make it a lie. Rescore instead."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionScoreInline(ReadOnlyMixin, admin.TabularInline):
    model = CriterionScore
    fields = readonly_fields = ("key", "label", "score", "max_score", "rationale")


class FailureModeHitInline(ReadOnlyMixin, admin.TabularInline):
    model = FailureModeHit
    fields = readonly_fields = ("failure_mode", "evidence", "advice")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "answer", "scorer", "scorer_version", "overall", "failed", "created_at"]
    list_filter = ["scorer", "scorer_version", "failure_mode_hits__failure_mode", "created_at"]
    list_select_related = ["answer__candidate", "answer__question"]
    search_fields = ["answer__candidate__username", "answer__question__slug"]
    date_hierarchy = "created_at"
    inlines = [CriterionScoreInline, FailureModeHitInline]
    readonly_fields = (
        "answer",
        "scorer",
        "scorer_version",
        "rubric",
        "overall",
        "error",
        "started_at",
        "duration_ms",
        "created_at",
        "raw",
    )
    fields = readonly_fields

    @admin.display(boolean=True, description="failed")
    def failed(self, obj: Feedback) -> bool:
        return bool(obj.error)
