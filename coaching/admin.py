from django import forms
from django.contrib import admin
from django.utils import timezone

from accounts.models import Role
from coaching.models import CoachLink, Notification, Review, ReviewComment, ReviewFlag, ReviewScore


class CoachLinkForm(forms.ModelForm):
    class Meta:
        model = CoachLink
        fields = ["candidate", "coach", "revoked_at"]

    def clean(self):
        cleaned = super().clean()
        candidate, coach = cleaned.get("candidate"), cleaned.get("coach")
        if candidate and candidate.role != Role.CANDIDATE:
            self.add_error("candidate", f"{candidate.username} is not a candidate.")
        if coach and coach.role != Role.COACH:
            self.add_error("coach", f"{coach.username} is not a coach.")
        return cleaned


@admin.register(CoachLink)
class CoachLinkAdmin(admin.ModelAdmin):
    """Admins assign a coach here: a link saved with a coach is accepted at once."""

    form = CoachLinkForm
    list_display = ["candidate", "coach", "created_by", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["accepted_at", "revoked_at"]
    list_select_related = ["candidate", "coach", "created_by"]
    search_fields = ["candidate__username", "coach__username", "code"]
    raw_id_fields = ["candidate", "coach"]
    fields = [
        "candidate",
        "coach",
        "code",
        "created_by",
        "accepted_at",
        "revoked_at",
        "email",
        "emailed_at",
        "round_emails",
    ]
    readonly_fields = ["code", "created_by", "accepted_at", "email", "emailed_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.coach_id and obj.accepted_at is None:
            obj.accepted_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoke the selected links")
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewScoreInline(ReadOnlyInline):
    model = ReviewScore
    fields = readonly_fields = ("answer", "key", "label", "scorer_score", "score")


class ReviewFlagInline(ReadOnlyInline):
    model = ReviewFlag
    fields = readonly_fields = ("answer", "failure_mode", "title", "action", "reason")


class ReviewCommentInline(ReadOnlyInline):
    model = ReviewComment
    fields = readonly_fields = ("answer", "quote", "text")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews are the coaches' words: admins read them here but do not rewrite them."""

    list_display = ["answer", "coach", "status", "reviewed_at"]
    list_filter = ["status", "reviewed_at"]
    list_select_related = ["answer__candidate", "coach"]
    search_fields = ["coach__username", "answer__candidate__username"]
    fields = readonly_fields = (
        "answer",
        "coach",
        "status",
        "comment",
        "scorer_flags",
        "reviewed_at",
    )
    inlines = [ReviewScoreInline, ReviewFlagInline, ReviewCommentInline]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "text"]
