from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from questions.models import Question


def bank(request: HttpRequest) -> HttpResponse:
    return render(request, "questions/bank.html", {"questions": Question.objects.all()[:20]})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(Question, slug=slug, is_published=True)
    return render(request, "questions/detail.html", {"question": question})
