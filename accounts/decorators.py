from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Role

View = Callable[..., HttpResponse]

SIGNED_OUT = (
    "You are signed out, so this was not saved. Sign in again; what you typed is kept in this "
    "browser."
)


def login_required_or_401(view: View) -> View:
    """login_required for the requests a page sends in the background (htmx, autosave): a
    signed-out user gets 401 and a message the page can show, never the sign-in page swapped
    into the form. A plain form post still goes to the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(SIGNED_OUT, status=401, content_type="text/plain; charset=utf-8")
        return redirect_to_login(request.get_full_path())

    return wrapper


def role_required(*roles: str) -> Callable[[View], View]:
    """Let through users with one of `roles` (admins always); send anonymous users to the
    login page; refuse everyone else with 403."""
    unknown = set(roles) - set(Role.values)
    if not roles or unknown:
        # A typo here would silently lock everyone but admins out, so refuse it at import time.
        raise ValueError(f"role_required needs roles from {Role.values}, got {roles!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_admin_role or user.role in roles):
                raise PermissionDenied("Your account does not have access to this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
