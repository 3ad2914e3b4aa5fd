from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Role

View = Callable[..., HttpResponse]


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
