"""Candidates invite and revoke coaches; coaches accept; admins assign."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import role_required
from accounts.http import AuthenticatedRequest
from coaching import selectors, services
from coaching.forms import AssignCoachForm, InviteCodeForm
from coaching.models import CoachLink
from coaching.permissions import get_visible_or_404


def _my_coaches_page(
    request: AuthenticatedRequest, *, new_link: CoachLink | None = None, status=200
):
    links = selectors.open_links_of(request.user)
    context = {
        "active": [link for link in links if link.is_active],
        "pending": [link for link in links if link.is_pending],
        "new_link": new_link,
    }
    template = "coaching/my_coaches.html#links" if request.htmx else "coaching/my_coaches.html"
    return render(request, template, context, status=status)


@role_required("candidate")
@vary_on_headers("HX-Request")
def my_coaches(request: AuthenticatedRequest) -> HttpResponse:
    return _my_coaches_page(request)


@require_POST
@role_required("candidate")
def invite_create(request: AuthenticatedRequest) -> HttpResponse:
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
def link_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    link = get_visible_or_404(selectors.links_of(request.user), pk=pk)
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


def _accept(request: AuthenticatedRequest, code: str) -> CoachLink | None:
    try:
        link = services.accept_invite(code=code, coach=request.user)
    except services.CoachingError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, f"You now coach {link.candidate.username}.")
    return link


@role_required("coach")
def accept(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """An invite link: show whose invite it is, and accept it on POST."""
    if request.method == "POST" and _accept(request, code):
        return redirect("coaching:queue")
    link = selectors.pending_invite(code)
    status = 200 if link and request.method == "GET" else 404 if link is None else 400
    return render(request, "coaching/accept.html", {"link": link, "code": code}, status=status)


@role_required("coach")
def accept_code(request: AuthenticatedRequest) -> HttpResponse:
    """The same, for a coach who was given the code rather than the link."""
    form = InviteCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _accept(request, form.cleaned_data["code"]):
            return redirect("coaching:queue")
        return render(request, "coaching/accept_code.html", {"form": form}, status=400)
    status = 400 if form.errors else 200
    return render(request, "coaching/accept_code.html", {"form": form}, status=status)


@role_required("admin")
def assign(request: AuthenticatedRequest) -> HttpResponse:
    form = AssignCoachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.assign_coach(by=request.user, **form.cleaned_data)
        except services.CoachingError as exc:
            form.add_error(None, exc.message)
        else:
            coach = link.coach.username if link.coach else "The coach"
            messages.success(request, f"{coach} now coaches {link.candidate.username}.")
            return redirect("coaching:assign")
    status = 400 if form.errors else 200
    links = selectors.active_links()
    return render(request, "coaching/assign.html", {"form": form, "links": links}, status=status)
