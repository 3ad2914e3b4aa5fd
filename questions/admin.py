from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from prep.lib.forms import SourceCheckedForm
from questions.models import Probe, Question, Tag
from scoring.relevance import relevance_model


class QuestionForm(SourceCheckedForm):
    # No Meta: the admin builds the form from QuestionAdmin.fieldsets.
    def clean(self) -> dict:
        cleaned = super().clean()
        rubric, kind = cleaned.get("rubric"), cleaned.get("kind")
        if rubric and kind and rubric.kind != kind:
            self.add_error(
                "rubric", f"{rubric.slug} scores {rubric.get_kind_display()} questions, not {kind}."
            )
        return cleaned


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "question_count")
    search_fields = ("slug", "name")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="questions", ordering="question_count")
    def question_count(self, tag: Tag) -> int:
        return tag.question_count  # type: ignore[attr-defined]  # annotated above


class ProbeInline(admin.TabularInline):
    model = Probe
    extra = 1
    fields = ("order", "text", "failure_mode")
    ordering = ("order",)
    autocomplete_fields = ("failure_mode",)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = (
        "title",
        "slug",
        "kind",
        "difficulty",
        "rubric",
        "source",
        "is_published",
        "preview_link",
    )
    list_filter = ("kind", "difficulty", "is_published", "rubric", "source_document", "tags")
    list_select_related = ("rubric",)
    search_fields = ("slug", "title", "prompt", "context")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tags",)
    inlines = (ProbeInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "difficulty", "rubric", "is_published")}),
        (
            "As the candidate sees it",
            {"fields": ("prompt", "context", "company", "time_limit_seconds")},
        ),
        ("For the interviewer", {"fields": ("intent", "exemplary_answer", "tags")}),
        ("Source", {"fields": ("source_document", "source_section")}),
    )

    @admin.display(description="source", ordering="source_document")
    def source(self, question: Question) -> str:
        return f"{question.source_document} § {question.source_section}"

    @admin.display(description="preview")
    def preview_link(self, question: Question) -> str:
        url = reverse("admin:questions_question_preview", args=[quote(question.pk)])
        return format_html('<a href="{}">Preview</a>', url)

    def get_urls(self) -> list[URLPattern]:
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="questions_question_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: str) -> TemplateResponse:
        question = self.get_object(request, unquote(object_id))
        if question is None:
            raise Http404("No such question.")
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        model = relevance_model()
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview: {question.title}",
            "opts": self.opts,
            "original": question,
            "question": question,
            # Whether the off-topic check has a model fitted on answers to this question.
            "relevance_knows": bool(model and model.knows(question.slug)),
        }
        return TemplateResponse(request, "admin/questions/question/preview.html", context)
