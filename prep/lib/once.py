"""Starting something once per form drawn: a form that starts a round carries a key made when the
page was drawn (`{% start_key %}`, a template builtin), and a second submission of the same form
(a double click, a resend after a dropped connection) finds the round the first one started."""

import uuid
from collections.abc import Mapping

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

FIELD = "start_key"

register = template.Library()


@register.simple_tag
def start_key() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())


def posted_key(data: Mapping[str, str]) -> uuid.UUID | None:
    """The form's key, or None when it has none (a form from before keys, a hand-made request):
    then every submission starts a round, as before."""
    try:
        return uuid.UUID(data.get(FIELD) or "")
    except ValueError:
        return None
