import logging
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from accounts.models import Role, User

logger = logging.getLogger(__name__)

DEMO_ACCOUNTS = [
    ("candidate", Role.CANDIDATE, False),
    ("coach", Role.COACH, False),
    ("admin", Role.ADMIN, True),
]


@transaction.atomic
def reset_demo_accounts() -> list[tuple[User, str]]:
    """Create (or reset) the demo candidate, coach and admin, each with a fresh password."""
    accounts = []
    for username, role, is_admin in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        password = secrets.token_urlsafe(9)
        user.email = f"{username}@prep.localhost"
        user.role = role
        user.is_staff = user.is_superuser = is_admin
        user.set_password(password)
        user.save()
        accounts.append((user, password))
    return accounts


@transaction.atomic
def sign_up(*, user: User, login_url: str, reset_url: str) -> User:
    """Save a new account and write to its email address, the same way whether or not the
    address already has an account, so that signing up cannot tell anyone who has one.

    One account per address, so that a password reset mail never covers several: when the
    address is taken, the new account is saved without it, and the mail tells the address's
    owner which account it belongs to instead of welcoming them.
    """
    address = user.email
    owner = User.objects.filter(email__iexact=address).order_by("pk").first()
    if owner:
        user.email = ""
    user.save()
    context = {"user": user, "owner": owner, "login_url": login_url, "reset_url": reset_url}
    if owner:
        subject, template = "Your address is already on Prep", "accounts/signup_taken_email.txt"
    else:
        subject, template = "Welcome to Prep", "accounts/signup_welcome_email.txt"
    try:
        send_mail(
            subject, render_to_string(template, context), settings.DEFAULT_FROM_EMAIL, [address]
        )
    except OSError:  # the account stands; the mail only informs
        logger.exception("could not send the sign-up mail for %s", user.username)
    return user
