from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.vary import vary_on_headers

from prep.lib.http import HtmxRequest
from prep.lib.sources import DOCUMENTS, anchor
from questions.forms import BankFilterForm
from questions.models import Question
from questions.selectors import published_by_source, published_questions, tags_in_use

PAGE_SIZE = 20


@vary_on_headers("HX-Request")
def bank(request: HtmxRequest) -> HttpResponse:
    form = BankFilterForm(request.GET or None, tags=tags_in_use())
    form.is_valid()
    page = Paginator(published_questions(**form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "questions/bank.html#results" if request.htmx else "questions/bank.html"
    return render(request, template, context)


def detail(request: HtmxRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("rubric").prefetch_related("tags", "probes"),
        slug=slug,
        is_published=True,
    )
    return render(request, "questions/detail.html", {"question": question})


def sources(request: HtmxRequest) -> HttpResponse:
    """Where the questions come from: each document's title, a summary in our words, and its
    sections with the questions that cite them. The documents' own text is not ours to show."""
    cited = published_by_source()
    documents = [
        {
            "document": doc,
            "sections": [
                {
                    "name": section,
                    "anchor": anchor(doc.file, section),
                    "questions": cited.get((doc.file, section), []),
                }
                for section in doc.sections
            ],
        }
        for doc in DOCUMENTS.values()
    ]
    return render(request, "questions/sources.html", {"documents": documents})
