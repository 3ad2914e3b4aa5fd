import secrets

from django.db import transaction

from accounts.models import Role, User

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
