"""Candidates invite and revoke coaches; coaches accept; admins assign."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import role_required
from coaching import services
from coaching.forms import AssignCoachForm, InviteCodeForm
from coaching.models import CoachLink
from coaching.permissions import get_visible_or_404


def _my_coaches_page(request: HttpRequest, *, new_link: CoachLink | None = None, status=200):
    links = (
        CoachLink.objects.filter(candidate=request.user, revoked_at__isnull=True)
        .select_related("coach")
        .order_by("accepted_at", "created_at")
    )
    context = {
        "active": [link for link in links if link.is_active],
        "pending": [link for link in links if link.is_pending],
        "new_link": new_link,
    }
    template = "coaching/my_coaches.html#links" if request.htmx else "coaching/my_coaches.html"
    return render(request, template, context, status=status)


@role_required("candidate")
@vary_on_headers("HX-Request")
def my_coaches(request: HttpRequest) -> HttpResponse:
    return _my_coaches_page(request)


@require_POST
@role_required("candidate")
def invite_create(request: HttpRequest) -> HttpResponse:
    try:
        link = services.create_invite(candidate=request.user)
    except services.CoachingError as exc:
        messages.error(request, exc.message)
        return _my_coaches_page(request, status=200 if request.htmx else 400)
    if request.htmx:
        return _my_coaches_page(request, new_link=link)
    messages.success(request, "Invite created: send the link or the code to your coach.")
    return redirect("coaching:my_coaches")


@require_POST
@role_required("candidate")
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_visible_or_404(
        CoachLink.objects.filter(candidate=request.user).select_related("coach", "candidate"),
        pk=pk,
    )
    try:
        services.revoke_link(link=link, by=request.user)
    except services.CoachingError as exc:
        messages.error(request, exc.message)
    else:
        who = link.coach.username if link.coach else "The invite"
        messages.success(request, f"{who} no longer has access to your rounds.")
    if request.htmx:
        return _my_coaches_page(request)
    return redirect("coaching:my_coaches")


def _accept(request: HttpRequest, code: str) -> CoachLink | None:
    try:
        link = services.accept_invite(code=code, coach=request.user)
    except services.CoachingError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, f"You now coach {link.candidate.username}.")
    return link


@role_required("coach")
def accept(request: HttpRequest, code: str) -> HttpResponse:
    """An invite link: show whose invite it is, and accept it on POST."""
    if request.method == "POST" and _accept(request, code):
        return redirect("coaching:queue")
    link = CoachLink.objects.pending().select_related("candidate").filter(code=code).first()
    status = 200 if link and request.method == "GET" else 404 if link is None else 400
    return render(request, "coaching/accept.html", {"link": link, "code": code}, status=status)


@role_required("coach")
def accept_code(request: HttpRequest) -> HttpResponse:
    """The same, for a coach who was given the code rather than the link."""
    form = InviteCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _accept(request, form.cleaned_data["code"]):
            return redirect("coaching:queue")
        return render(request, "coaching/accept_code.html", {"form": form}, status=400)
    status = 400 if form.errors else 200
    return render(request, "coaching/accept_code.html", {"form": form}, status=status)


@role_required("admin")
def assign(request: HttpRequest) -> HttpResponse:
    form = AssignCoachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.assign_coach(by=request.user, **form.cleaned_data)
        except services.CoachingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"{link.coach.username} now coaches {link.candidate.username}."
            )
            return redirect("coaching:assign")
    status = 400 if form.errors else 200
    links = (
        CoachLink.objects.active()
        .select_related("candidate", "coach")
        .order_by("candidate__username", "coach__username")
    )
    return render(request, "coaching/assign.html", {"form": form, "links": links}, status=status)
