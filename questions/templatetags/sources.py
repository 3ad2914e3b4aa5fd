from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from prep.lib.sources import anchor, citation
from questions.models import Question

register = template.Library()


@register.simple_tag
def source_link(question: Question) -> SafeString:
    """The question's source as a reader sees it, "Title — Section", linking to that section
    on our page of sources (we cite the documents; we do not republish them)."""
    href = (
        reverse("questions:sources")
        + "#"
        + anchor(question.source_document, question.source_section)
    )
    return format_html(
        '<a href="{}">{}</a>', href, citation(question.source_document, question.source_section)
    )
