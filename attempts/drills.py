"""Fix-it drills, the plain part: which passages a finding lets the candidate rewrite."""

from typing import Any

from feedback.highlight import locate
from scoring.heuristic.text import sentences

# A rewritten passage may be longer than the original, within reason.
MAX_REWRITE_CHARS = 3_000


def passages(text: str, evidence: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """The sentences of `text` that hold a finding's evidence, in order and each once: what a
    drill rewrites (a quote is often a few words; the sentence is what reads as a unit)."""
    spots = [place for item in evidence or [] if (place := locate(text, item))]
    return [
        (s.start, s.end)
        for s in sentences(text)
        if any(start < s.end and end > s.start for start, end in spots)
    ]


def apply_rewrite(text: str, start: int, end: int, rewrite: str) -> str:
    return text[:start] + rewrite.strip() + text[end:]
