"""Practise chosen questions, retry one, compare attempts, and fix-it drills.

Every lookup of an answer is scoped to the signed-in candidate's own main answers (404 else).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedRequest
from attempts import selectors, services
from attempts.forms import DrillForm
from prep.lib.once import posted_key
from questions.models import Question
from rounds.models import Answer
from rounds.services import RoundError
from rubrics.models import FailureMode


def _get_answer_for_user(request: AuthenticatedRequest, pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("question__rubric", "round"),
        pk=pk,
        candidate=request.user,
        follow_up_of__isnull=True,
        submitted_at__isnull=False,
    )


@require_POST
@login_required
def practise(request: AuthenticatedRequest) -> HttpResponse:
    """Start a round over the questions picked on the bank or a question's page."""
    try:
        round_ = services.practise(
            candidate=request.user,
            slugs=request.POST.getlist("questions"),
            start_key=posted_key(request.POST),
        )
    except RoundError as exc:
        return render(request, "attempts/not_started.html", {"error": exc.message}, status=422)
    return redirect(round_)


@login_required
def retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: what retrying means (the target of a coach's "Redo this"); POST: start it."""
    answer = _get_answer_for_user(request, pk)
    if request.method == "POST":
        try:
            round_ = services.retry(answer=answer, start_key=posted_key(request.POST))
        except RoundError as exc:
            context = {"error": exc.message}
            return render(request, "attempts/not_started.html", context, status=422)
        return redirect(round_)
    history = selectors.attempts_at(request.user, answer.question_id)
    return render(request, "attempts/retry.html", {"answer": answer, "attempts": history})


@login_required
@vary_on_headers("HX-Request")
def compare(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The answer beside the previous attempt, and every attempt at the question."""
    answer = _get_answer_for_user(request, pk)
    against = request.GET.get("against", "")
    found = selectors.comparison(answer, against=int(against) if against.isdigit() else None)
    context = {"answer": answer, "c": found}
    template = "attempts/compare.html#comparison" if request.htmx else "attempts/compare.html"
    return render(request, template, context)


@login_required
@vary_on_headers("HX-Request")
def history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(Question, slug=slug)
    context = {"question": question, "attempts": selectors.attempts_at(request.user, question.pk)}
    template = "attempts/history.html#attempts" if request.htmx else "attempts/history.html"
    return render(request, template, context)


@login_required
@vary_on_headers("HX-Request")
def drill(request: AuthenticatedRequest, pk: int, mode: str) -> HttpResponse:
    """Rewrite one flagged passage in place and rescore the whole answer at once."""
    answer = _get_answer_for_user(request, pk)
    try:
        index = int(request.POST.get("passage") or request.GET.get("passage") or 0)
    except ValueError:
        index = -1
    setup = selectors.drill_setup(answer, mode, index)
    if setup is None:
        raise Http404("No such finding in this answer")
    form = DrillForm(request.POST or None, initial={"rewrite": setup.passage})
    context: dict = {"s": setup, "form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                found = services.run_drill(setup=setup, rewrite=form.cleaned_data["rewrite"])
            except services.DrillError as exc:
                form.add_error("rewrite", exc.message)
            else:
                titles = FailureMode.objects.filter(key__in=found.failure_modes)
                context |= {"drill": found, "found_titles": [m.title for m in titles]}
        # htmx swaps only 2xx answers by default, and the message must reach the screen.
        status = 422 if form.errors and not request.htmx else 200
    part = "drill-result" if "drill" in context else "drill-form"
    template = f"attempts/drill.html#{part}" if request.htmx else "attempts/drill.html"
    return render(request, template, context, status=status)
