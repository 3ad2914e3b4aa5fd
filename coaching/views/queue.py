"""The coach's queue, a round seen by whoever may see it, and the notifications page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import role_required
from accounts.http import AuthenticatedRequest
from coaching import selectors, services
from coaching.forms import QueueFilterForm
from coaching.permissions import (
    get_visible_or_404,
    rounds_visible_to,
)
from coaching.selectors import queue_counts, queue_for, queue_rows, with_queue_details
from feedback.selectors import round_summary

PAGE_SIZE = 20


@role_required("coach")
@vary_on_headers("HX-Request")
def queue(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = QueueFilterForm(request.GET or None, candidates=selectors.queue_candidates(user))
    form.is_valid()
    answers = queue_for(user, **form.filters())
    counts = queue_counts(answers)
    status = form.chosen_status()
    answers = selectors.with_status(answers, status)
    page = Paginator(with_queue_details(answers), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": queue_rows(list(page.object_list)),
        "counts": counts,
        "status": status,
        "query": query.urlencode(),
    }
    template = "coaching/queue.html#results" if request.htmx else "coaching/queue.html"
    return render(request, template, context)


@login_required
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A round's questions with their scores, for its candidate, their coaches and admins."""
    round_ = get_visible_or_404(rounds_visible_to(request.user).select_related("candidate"), pk=pk)
    summary = round_summary(round_)
    main_ids = [q.main.pk for q in summary.questions]
    reviewed = selectors.reviewed_answer_ids(request.user, main_ids)
    return render(request, "coaching/round.html", {"summary": summary, "reviewed": reviewed})


@login_required
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    """The user's notifications, newest first; showing them marks them read."""
    items, new = services.read_notifications(user=request.user)
    return render(request, "coaching/notifications.html", {"items": items, "new": new})
