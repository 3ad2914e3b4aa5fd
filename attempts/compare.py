"""Comparing two attempts at a question: plain functions of their scores and texts."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class ModeChanges:
    """Failure-mode keys, each in the order it was first seen."""

    fixed: list[str]  # found before, not now
    remaining: list[str]  # found in both
    new: list[str]  # found now, not before


def mode_changes(before: Iterable[str], after: Iterable[str]) -> ModeChanges:
    was, now = list(dict.fromkeys(before)), list(dict.fromkeys(after))
    return ModeChanges(
        fixed=[key for key in was if key not in now],
        remaining=[key for key in was if key in now],
        new=[key for key in now if key not in was],
    )


@dataclass(frozen=True)
class CriterionRow:
    key: str
    label: str
    before: int | None
    after: int | None
    max_score: int

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


# A criterion score as (key, label, score, max score).
Score = tuple[str, str, int, int]


def criterion_rows(before: Iterable[Score], after: Iterable[Score]) -> list[CriterionRow]:
    """Side by side, in the newer attempt's order; a criterion only one side has (the rubric
    changed in between) shows with the other side empty."""
    was = {key: (label, score, top) for key, label, score, top in before}
    now = {key: (label, score, top) for key, label, score, top in after}
    rows = [
        CriterionRow(key, label, was[key][1] if key in was else None, score, top)
        for key, (label, score, top) in now.items()
    ]
    rows += [
        CriterionRow(key, label, score, None, top)
        for key, (label, score, top) in was.items()
        if key not in now
    ]
    return rows


@dataclass(frozen=True)
class WordDiff:
    html: SafeString
    added: int
    removed: int


def word_diff(before: str, after: str) -> WordDiff:
    """The newer text word by word, with removed words in <del> and added words in <ins>, each
    announced to screen readers (which mostly read <ins>/<del> as plain text)."""
    old, new = before.split(), after.split()
    parts: list[str] = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(new[j1:j2])))
            continue
        if i2 > i1:
            removed += i2 - i1
            parts.append(_marked("del", "removed", old[i1:i2]))
        if j2 > j1:
            added += j2 - j1
            parts.append(_marked("ins", "added", new[j1:j2]))
    return WordDiff(mark_safe(" ".join(parts)), added, removed)


def _marked(tag: str, spoken: str, words: list[str]) -> str:
    return (
        f'<{tag}><span class="visually-hidden">[{spoken}: </span>{escape(" ".join(words))}'
        f'<span class="visually-hidden">]</span></{tag}>'
    )
