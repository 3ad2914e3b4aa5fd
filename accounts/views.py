from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from accounts import forms, services
from accounts.forms import SIGNUP_ROLES


def safe_next(request: HttpRequest) -> str:
    """The `next` page asked for, if it is a page of this site; "" otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if local and allowed else ""


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """Sign up, then go to `next` when it is a page of this site (an invite, say): the role
    asked for in the link is chosen already."""
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    role = request.GET.get("role")
    initial = {"role": role} if role in dict(SIGNUP_ROLES) else {}
    form = forms.SignUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(
            user=form.save(commit=False),
            login_url=request.build_absolute_uri(reverse("accounts:login")),
            reset_url=request.build_absolute_uri(reverse("accounts:password_reset")),
        )
        # Several backends are configured (axes first), so say which one vouches for the user.
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


# Django's own auth views, with our forms and templates; POST-only logout is Django's default.
login = auth_views.LoginView.as_view(
    authentication_form=forms.LoginForm, redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    form_class=forms.PasswordChangeForm, success_url=reverse_lazy("accounts:password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    form_class=forms.PasswordResetForm, success_url=reverse_lazy("accounts:password_reset_done")
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=forms.SetPasswordForm, success_url=reverse_lazy("accounts:password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
