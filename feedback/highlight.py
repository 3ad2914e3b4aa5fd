"""Mark a scorer's evidence inside the candidate's own text, as safe HTML."""

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def locate(text: str, evidence: dict[str, Any]) -> tuple[int, int] | None:
    """Where a piece of evidence sits in `text`: its offsets when the quote is there, else the
    quote's first occurrence; None when the quote is not in the text at all."""
    start, end, quote = evidence.get("start"), evidence.get("end"), evidence.get("quote") or ""
    in_text = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
    if in_text and (not quote or text[start:end] == quote):
        return int(start), int(end)  # type: ignore[arg-type]
    if quote and (found := text.find(quote)) >= 0:
        return found, found + len(quote)
    return None


def merge(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, list[str]]]:
    """Overlapping spans become one span carrying every key, in order of first appearance."""
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, key in sorted(spans):
        if merged and start < merged[-1][1]:
            last_start, last_end, keys = merged[-1]
            if key not in keys:
                keys.append(key)
            merged[-1] = (last_start, max(last_end, end), keys)
        else:
            merged.append((start, end, [key]))
    return merged


def highlight(
    text: str, spans: Iterable[tuple[int, int, str]], *, anchor: Callable[[str], str]
) -> SafeString:
    """The text escaped, with each span in a <mark> that links to and is described by the
    advice of its failure modes (`anchor(key)` is the id of that advice)."""
    parts: list[str] = []
    position = 0
    for start, end, keys in merge(spans):
        ids = " ".join(anchor(key) for key in keys)
        parts.append(escape(text[position:start]))
        parts.append(
            format_html(
                '<mark class="evidence" data-failure-modes="{}">'
                '<a href="#{}" aria-describedby="{}">{}</a></mark>',
                " ".join(keys),
                anchor(keys[0]),
                ids,
                text[start:end],
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def annotate(
    text: str,
    spans: Iterable[tuple[int, int, str]],
    *,
    anchor: Callable[[str], str],
    tag: Callable[[str], str],
    rank: Callable[[str], int],
) -> SafeString:
    """The text escaped, each span in a <mark> that links to the note on its first key (by
    `rank`), followed by a visible tag naming every key it carries (`tag(key)`, e.g. a
    criterion's number), so a reader can tell the marks apart without colour."""
    parts: list[str] = []
    position = 0
    for start, end, found in merge(spans):
        keys = sorted(found, key=rank)
        parts.append(escape(text[position:start]))
        parts.append(
            format_html(
                '<mark class="credit" data-keys="{}"><a href="#{}">{}</a>'
                '<sup class="credit-tag"><span class="visually-hidden">criteria </span>{}</sup>'
                "</mark>",
                " ".join(keys),
                anchor(keys[0]),
                text[start:end],
                ", ".join(tag(key) for key in keys),
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))
