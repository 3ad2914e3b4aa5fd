from django import template

from questions.kinds import Kind
from rounds.autosave import draft_status

register = template.Library()


@register.filter
def clock(seconds: int | None) -> str:
    """Seconds as "mm:ss" (the countdown's format); "—" when unknown."""
    if seconds is None or seconds == "":
        return "—"
    minutes, seconds = divmod(max(0, int(seconds)), 60)
    return f"{minutes:02d}:{seconds:02d}"


@register.filter
def kind_labels(kinds: list[str]) -> str:
    """["product_sense", "gtm"] as "Product sense, Go-to-market"."""
    return ", ".join(Kind(kind).label for kind in kinds if kind in Kind.values)


register.simple_tag(draft_status)
