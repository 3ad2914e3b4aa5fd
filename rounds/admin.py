from django.contrib import admin

from rounds.models import Answer, Round


class AnswerInline(admin.TabularInline):
    model = Answer
    fk_name = "round"
    extra = 0
    can_delete = False
    fields = (
        "position",
        "question",
        "follow_up_of",
        "started_at",
        "deadline",
        "submitted_at",
        "time_used_seconds",
        "auto_submitted",
        "is_late",
    )
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("pk", "candidate", "created_at", "full_loop", "finished_at")
    list_filter = ("full_loop", "created_at")
    search_fields = ("candidate__username",)
    raw_id_fields = ("candidate",)
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "candidate",
        "question",
        "position",
        "submitted_at",
        "auto_submitted",
        "is_late",
    )
    list_filter = ("kind", "auto_submitted", "is_late")
    search_fields = ("candidate__username", "question__slug")
    raw_id_fields = ("candidate", "round", "question", "follow_up_of")
    readonly_fields = ("started_at", "deadline", "draft_saved_at", "submitted_at", "created_at")
    list_select_related = ("candidate", "question")
