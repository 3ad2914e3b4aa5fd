from django.db.models import Q, QuerySet

from questions.models import Question, Tag


def published_questions(
    *, kind: str = "", difficulty: int | None = None, tag: str = "", q: str = ""
) -> QuerySet[Question]:
    """Published questions with what the bank page shows, filtered; tags come prefetched."""
    questions = Question.objects.filter(is_published=True).prefetch_related("tags")
    if kind:
        questions = questions.filter(kind=kind)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    if tag:
        questions = questions.filter(tags__slug=tag)
    if q:
        questions = questions.filter(Q(title__icontains=q) | Q(prompt__icontains=q))
    return questions.order_by("kind", "difficulty", "slug")


def tags_in_use() -> list[Tag]:
    return list(Tag.objects.filter(questions__is_published=True).distinct().order_by("name"))


def companies_in_use() -> list[str]:
    """Each company named by a published question, once (order_by() drops the default ordering,
    whose columns would otherwise make every row distinct)."""
    companies = Question.objects.filter(is_published=True).exclude(company="")
    return sorted(companies.order_by().values_list("company", flat=True).distinct())


def published_by_source() -> dict[tuple[str, str], list[Question]]:
    """The published questions by the (document, section) they cite, each list by title."""
    cited: dict[tuple[str, str], list[Question]] = {}
    questions = Question.objects.filter(is_published=True).order_by("title")
    for question in questions.only("slug", "title", "kind", "source_document", "source_section"):
        cited.setdefault((question.source_document, question.source_section), []).append(question)
    return cited
