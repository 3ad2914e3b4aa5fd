"""Candidates invite (by link, code or email) and revoke coaches; coaches accept, also on
the way through sign-up or sign-in; admins assign."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import role_required
from accounts.http import AuthenticatedRequest
from accounts.models import Role
from coaching import notices, selectors, services
from coaching.forms import AssignCoachForm, InviteCodeForm, InviteEmailForm
from coaching.models import CoachLink
from coaching.permissions import get_visible_or_404

# The invite a signed-out visitor opened: accepted when they come back to it signed in as a
# coach (sign-up and sign-in send them back through `next`).
INVITE_SESSION_KEY = "coach_invite"


def _my_coaches_page(
    request: AuthenticatedRequest,
    *,
    new_link: CoachLink | None = None,
    email_form: InviteEmailForm | None = None,
    status=200,
):
    links = selectors.open_links_of(request.user)
    context = {
        "active": [link for link in links if link.is_active],
        "pending": [link for link in links if link.is_pending],
        "new_link": new_link,
        "email_form": email_form or InviteEmailForm(),
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
def invite_email(request: AuthenticatedRequest) -> HttpResponse:
    """A new invite, sent to the coach's email address."""
    form = InviteEmailForm(request.POST)
    if not form.is_valid():
        return _my_coaches_page(request, email_form=form, status=200 if request.htmx else 400)
    to = form.cleaned_data["email"]
    try:
        link = services.create_invite(candidate=request.user)
        notices.email_invite(link=link, to=to)
    except services.CoachingError as exc:
        form.add_error("email", exc.message)
        return _my_coaches_page(request, email_form=form, status=200 if request.htmx else 400)
    messages.success(request, f"Invite emailed to {to}.")
    if request.htmx:
        return _my_coaches_page(request)
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


def _signed_out_invite(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Whose invite it is, with sign-up and sign-in links that come back here."""
    link = selectors.pending_invite(code)
    if link is None:
        return render(request, "coaching/accept.html", {"code": code}, status=404)
    request.session[INVITE_SESSION_KEY] = code
    back = urlencode({"next": link.get_invite_url()})
    context = {
        "link": link,
        "code": code,
        "signup_url": f"{reverse('accounts:signup')}?{back}&role={Role.COACH}",
        "login_url": f"{reverse('accounts:login')}?{back}",
    }
    return render(request, "coaching/accept.html", context)


def accept(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """An invite link: whose invite it is, accepted on POST, or at once when a signed-out
    coach opened it and comes back signed in; then what the coach can do next."""
    user = request.user
    if not user.is_authenticated:
        return _signed_out_invite(request, code)
    if not (user.is_admin_role or user.role == Role.COACH):
        raise PermissionDenied("Only a coach account can accept an invite.")
    if request.method == "POST" and _accept(request, code):
        return redirect("coaching:queue")
    continued = request.session.pop(INVITE_SESSION_KEY, None) == code
    if request.method == "GET" and continued and selectors.pending_invite(code):
        _accept(request, code)
    accepted = selectors.accepted_invite(code, coach=user)
    if accepted is not None:
        return render(request, "coaching/accept.html", {"accepted": accepted, "code": code})
    link = selectors.pending_invite(code)
    status = 200 if link and request.method == "GET" else 404 if link is None else 400
    return render(request, "coaching/accept.html", {"link": link, "code": code}, status=status)


def accept_code(request: AuthenticatedRequest) -> HttpResponse:
    """The same, for a coach who was given the code rather than the link; signed out, the
    code leads to the invite's page, which carries it through sign-up or sign-in."""
    user = request.user
    if user.is_authenticated and not (user.is_admin_role or user.role == Role.COACH):
        raise PermissionDenied("Only a coach account can accept an invite.")
    form = InviteCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if not user.is_authenticated:
            if link := selectors.pending_invite(code):
                return redirect(link.get_invite_url())
            form.add_error("code", "This invite code is not valid, or it was withdrawn.")
            return render(request, "coaching/accept_code.html", {"form": form}, status=400)
        if _accept(request, code):
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


@role_required("coach")
def candidates(request: AuthenticatedRequest) -> HttpResponse:
    """The coach's candidates, each with the switch for their round emails."""
    links = selectors.coach_links_of(request.user)
    return render(request, "coaching/candidates.html", {"links": links})


@require_POST
@role_required("coach")
def round_emails(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    link = get_visible_or_404(selectors.coach_links_of(request.user), candidate_id=pk)
    on = request.POST.get("on")
    if on not in ("true", "false"):
        messages.error(request, "Choose whether to get these emails.")
        links = selectors.coach_links_of(request.user)
        return render(request, "coaching/candidates.html", {"links": links}, status=400)
    link = notices.set_round_emails(link=link, on=on == "true")
    who = link.candidate.username
    if link.round_emails:
        messages.success(request, f"You will be emailed when {who} finishes a round.")
    else:
        messages.success(request, f"No more emails about {who}'s rounds.")
    return redirect("coaching:candidates")
