from django import template

from coaching.models import Notification, Review
from coaching.permissions import reviews_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """For the header: one COUNT query, and none for anonymous visitors."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user).unread().count()


@register.inclusion_tag("coaching/_reviews_summary.html", takes_context=True)
def coach_reviews(context, answer) -> dict:
    """Finished coach reviews of this answer's transcript that the viewer may read."""
    user = context["request"].user
    main_id = answer.follow_up_of_id or answer.pk
    reviews = (
        reviews_visible_to(user)
        .filter(answer_id=main_id, status=Review.Status.REVIEWED)
        .select_related("coach")
        .prefetch_related("scores", "flags__failure_mode", "comments")
        .order_by("reviewed_at")
    )
    return {"reviews": list(reviews), "answer": answer, "main_id": main_id}


@register.filter
def seconds(value: int | None) -> str:
    """180 -> "3:00"."""
    if value is None:
        return "—"
    return f"{value // 60}:{value % 60:02d}"


@register.filter
def get_item(mapping: dict | None, key: str):
    return (mapping or {}).get(key)
