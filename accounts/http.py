from accounts.models import User
from prep.lib.http import HtmxRequest


class AuthenticatedRequest(HtmxRequest):
    """A request behind login_required or role_required: its user is signed in."""

    user: User
