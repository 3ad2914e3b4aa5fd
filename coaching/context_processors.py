from django.http import HttpRequest

from coaching.models import Notification


def notifications(request: HttpRequest) -> dict:
    """`unread_notifications` for the header: one COUNT query, run only when a template reads it
    (templates call callables), and none for anonymous visitors."""

    def unread() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(user=user).unread().count()

    return {"unread_notifications": unread}
