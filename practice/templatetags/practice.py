from django import template

from prep.lib.kinds import Kind
from prep.lib.timefmt import clock, minutes
from rounds.autosave import draft_status

register = template.Library()


register.filter(clock)
register.filter(minutes)


@register.filter
def kind_labels(kinds: list[str]) -> str:
    """["product_sense", "gtm"] as "Product sense, Go-to-market"."""
    return ", ".join(Kind(kind).label for kind in kinds if kind in Kind.values)


register.simple_tag(draft_status)
