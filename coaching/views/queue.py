"""The coach's queue, a round seen by whoever may see it, and the notifications page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import role_required
from accounts.models import Role, User
from coaching.forms import QueueFilterForm
from coaching.models import Notification, Review
from coaching.permissions import (
    coached_candidates,
    get_visible_or_404,
    reviews_visible_to,
    rounds_visible_to,
)
from coaching.selectors import queue_counts, queue_for, queue_rows, with_queue_details
from rounds.selectors import round_summary

PAGE_SIZE = 20


@role_required("coach")
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    candidates = (
        User.objects.filter(role=Role.CANDIDATE) if user.is_admin_role else coached_candidates(user)
    )
    form = QueueFilterForm(request.GET or None, candidates=candidates)
    form.is_valid()
    answers = queue_for(user, **form.filters())
    counts = queue_counts(answers)
    status = form.chosen_status()
    if status != "all":
        answers = answers.filter(reviewed=status == "reviewed")
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
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's questions with their scores, for its candidate, their coaches and admins."""
    round_ = get_visible_or_404(rounds_visible_to(request.user).select_related("candidate"), pk=pk)
    summary = round_summary(round_)
    main_ids = [q.main.pk for q in summary.questions]
    reviewed = set(
        reviews_visible_to(request.user)
        .filter(answer__in=main_ids, status=Review.Status.REVIEWED)
        .values_list("answer_id", flat=True)
    )
    return render(request, "coaching/round.html", {"summary": summary, "reviewed": reviewed})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; showing them marks them read."""
    items = list(Notification.objects.filter(user=request.user)[:100])
    new = {n.pk for n in items if n.read_at is None}
    Notification.objects.filter(pk__in=new).update(read_at=timezone.now())
    return render(request, "coaching/notifications.html", {"items": items, "new": new})
