"""Run big alternations only where they can start.

Python's `re` tries every alternative at every position, so a feature with a hundred wordy
alternatives costs a millisecond per answer. Almost all of ours start with a word boundary and a
literal ("\\bretention", "\\b(?:daily|weekly) active"), so we index the answer's words by their
first letters once, and try a pattern only at words that begin the way one of its alternatives
does. Alternatives whose start we cannot read (digits, "$", lookbehinds) are searched normally.
The index only says where to look: at each place where some alternative matched, the whole
pattern is matched again, left to right and skipping what an earlier match covered, so the
spans are exactly those of `re.finditer` (tests/test_fastre.py checks this over every labelled
answer with every cue and feature pattern).
"""

import re
from collections import defaultdict

_CAP = "\x00CAP"  # an alternative that starts with a capitalised word
_DIGIT = "\x00DIGIT"  # ...or with a digit
_SPECIAL = (_CAP, _DIGIT)
_WHOLE = "\x01"  # marks a literal that is a whole word
_WORD_HEAD = re.compile(r"\b\w{1,3}")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WORDISH = re.compile(r"\w+")
_LITERAL = re.compile(r"[a-z0-9][a-z0-9 '’-]*", re.IGNORECASE)


def _structure(pattern: str, start: int = 0):
    """(index, char, depth) for each character of the pattern that is not escaped and not
    inside a character class; depth counts the groups open before it."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":  # "[]...]": the first "]" is a literal
                i += 1
        else:
            if c == ")":
                depth -= 1
            yield i, c, depth
            if c == "(":
                depth += 1
        i += 1


def split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, start = [], 0
    for i, c, depth in _structure(pattern):
        if c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _close(pattern: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at open_at, or -1."""
    for i, c, depth in _structure(pattern, open_at):
        if c == ")" and depth == 0:
            return i
    return -1


_NONWORD = ("\\b", "\\s", " ", ",", ":", ";", "/", "-", "[’']", "['’]", "[’'-]", "[- ]")


def _nonword_next(rest: str) -> bool:
    """Whether what follows a literal in a pattern must start with a non-word character."""
    for start in _NONWORD:
        if rest.startswith(start):
            after = rest[len(start) :]
            if after[:1] in ("?", "*"):  # optional ("day[- ]?\d" matches "day0"): look past it
                return _nonword_next(after[1:].lstrip("+?"))
            return not after.startswith("{0")
    if rest.startswith("(?:"):
        end = _close(rest, 0)
        if end < 0:
            return False
        inside = all(_nonword_next(a) for a in split_top(rest[3:end]))
        if rest[end + 1 : end + 2] in ("?", "*"):  # optional: what follows it must qualify too
            after = rest[end + 2 :].lstrip("+?")
            return inside and _nonword_next(after)
        return inside and rest[end + 1 : end + 2] != "{"
    return False


def prefixes(alt: str, *, bounded: bool = False, follow: str = "") -> set[str] | None:
    """Lowercase literal starts that every match of alt begins with, or None when unknown.

    bounded: a word boundary already precedes alt (we are inside "\\b(?:...)").
    follow: what comes after alt in its enclosing pattern. A literal that must be followed by
    a non-word character is a whole word and is marked with a trailing _WHOLE.
    """
    if alt.startswith(r"\b"):
        alt, bounded = alt[2:], True
    while alt.startswith(("(?<!", "(?<=", "(?!", "(?=", "(?:^|")):  # assertions consume nothing
        end = _close(alt, 0)
        if end < 0:
            return None
        if alt.startswith("(?:^|"):  # the start of a line or clause: a word starts here
            bounded = True
        alt = alt[end + 1 :]
    if alt.startswith("(?:") or alt.startswith("(?P<"):
        end = _close(alt, 0)
        if end < 0 or alt[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        inner = alt[alt.index(":") + 1 if alt.startswith("(?:") else alt.index(">") + 1 : end]
        found: set[str] = set()
        after = alt[end + 1 :] + follow
        for sub in split_top(inner):
            p = prefixes(sub, bounded=bounded, follow=after)
            if p is None:
                return None
            found |= p
        return found
    if not bounded:
        return None
    if alt.startswith("(?-i:"):
        return {_CAP}
    if alt.startswith(r"\d"):
        return {_DIGIT}
    m = _LITERAL.match(alt)
    if not m:
        return None
    literal = m.group()
    if alt[m.end() : m.end() + 1] in ("?", "*", "{"):
        literal = literal[:-1]
    elif literal.isalnum() and _nonword_next(
        alt[m.end() :] + follow if m.end() == len(alt) else alt[m.end() :]
    ):
        return {literal.lower() + _WHOLE}
    return {literal.lower()} if literal else None


def _key(literal: str) -> str:
    """The index key of a literal: its first word's first three letters, or the whole first
    word (marked) when it is known to end within three letters ("i ", "a/", "the most")."""
    if literal in (_CAP, _DIGIT):
        return literal
    m = _WORDISH.match(literal)
    if not m:
        return ""
    word, after = m.group(), literal[m.end() :]
    if len(word) <= 3 and after and (after == _WHOLE or not after[0].isalnum()):
        # A short whole word followed by a space and another word: key on the pair.
        if after[:1] == " " and (m2 := _WORDISH.match(after, 1)):
            second, tail = m2.group(), after[m2.end() :]
            if len(second) >= 3:
                return word + _WHOLE + second[:3]
            if tail and (tail == _WHOLE or not tail[0].isalnum()):
                return word + _WHOLE + second
        return word + _WHOLE
    return word[:3]


class Doc:
    """An answer with its words indexed by their first three letters.

    Keys for whole short words ("i", "the") and for a short word followed by the next word's
    first letters ("i would" -> "i", "wou") are worked out from that index when first asked for.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        lower = text.lower()
        if len(lower) != len(text):  # a few characters lowercase to two
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        self.lower = lower
        index: dict[str, list[int]] = defaultdict(list)
        heads = list(_WORD_HEAD.finditer(lower))  # one match per word start
        starts = list(map(re.Match.start, heads))
        for key, start in zip(map(re.Match.group, heads), starts, strict=True):
            index[key].append(start)
        self.index = dict(index)
        # \b[A-Z] and \b\d, read off the word starts rather than searched for again.
        self.index[_CAP] = [p for p in starts if text[p] in _UPPER]
        self.index[_DIGIT] = [p for p in starts if text[p].isdecimal()]
        self.keys = self.index.keys()
        self._derived: dict[str, list[int]] = {}
        self._prefixes: dict[str, list[int]] | None = None

    def positions(self, key: str) -> list[int]:
        """Word starts for an index key (see _key)."""
        found = self.index.get(key)
        if found is not None and _WHOLE not in key and len(key) == 3:
            return found
        if key in self._derived:
            return self._derived[key]
        lower = self.lower
        if _WHOLE in key:
            word, _, following = key.partition(_WHOLE)
            n = len(word)
            if following:
                following = " " + following
                found = [
                    p for p in self.positions(word + _WHOLE) if lower.startswith(following, p + n)
                ]
            elif n < 3:  # keys under three letters come only from words that short
                found = self.index.get(word, [])
            else:
                found = [
                    p
                    for p in self.index.get(word, ())
                    if p + n >= len(lower) or not (lower[p + n].isalnum() or lower[p + n] == "_")
                ]
        elif key in _SPECIAL:
            found = self.index[key]
        else:  # fewer than three letters: every word that starts with them
            if self._prefixes is None:
                prefixes: dict[str, list[int]] = defaultdict(list)
                for k, ps in self.index.items():
                    if k not in _SPECIAL:
                        prefixes[k[:1]] += ps
                        if len(k) > 1:
                            prefixes[k[:2]] += ps
                self._prefixes = prefixes
            found = sorted(self._prefixes.get(key, ()))
        self._derived[key] = found
        return found


def _base(key: str) -> str:
    """The plain index key a (possibly derived) key is worked out from."""
    return key.partition(_WHOLE)[0] if _WHOLE in key else key


class Finder:
    """finditer for one pattern, tried only where one of its alternatives can start."""

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.regex = re.compile(pattern, flags)
        by_key: dict[str, list[str]] = defaultdict(list)
        rest: list[re.Pattern[str]] = []
        for alt in split_top(pattern):
            found = prefixes(alt)
            if found is None:
                rest.append(re.compile(alt, flags))
                continue
            for key in sorted({_key(literal) for literal in found}):
                by_key[key].append(alt)
        # At a word with a given start, one match tries every alternative that can begin there.
        self.compiled = {
            k: re.compile("|".join(f"(?:{a})" for a in alts), flags) for k, alts in by_key.items()
        }
        self.rest = tuple(rest)

        self._alone: FinderSet | None = None

    def finditer(self, doc: Doc) -> list[re.Match[str]]:
        if self._alone is None:
            self._alone = FinderSet({"": self})
        return self._alone.finditer(doc)[""]


def _as_re(regex: re.Pattern[str], text: str, found: list[re.Match[str]]) -> list[re.Match[str]]:
    """What regex.finditer(text) gives, knowing every place where a match can start: re takes
    the leftmost match, then the first alternative that matches there, then goes on after it."""
    if not found:
        return []
    out: list[re.Match[str]] = []
    end = -1
    match = regex.match
    for start in sorted({m.start() for m in found}):
        if start < end:
            continue
        m = match(text, start)
        if m is not None and m.end() > start:
            out.append(m)
            end = m.end()
    return out


class FinderSet:
    """Many Finders run in one pass over the answer's words."""

    def __init__(self, finders: dict[str, Finder]) -> None:
        self.names = tuple(finders)
        self.regexes = {name: finder.regex for name, finder in finders.items()}
        by_key: dict[str, list[tuple[str, re.Pattern[str]]]] = defaultdict(list)
        short: dict[str, list[tuple[str, re.Pattern[str]]]] = defaultdict(list)
        for name, finder in finders.items():
            for key, regex in finder.compiled.items():
                if len(key) < 3 and _WHOLE not in key and key not in _SPECIAL:
                    short[key].append((name, regex))
                else:
                    by_key[key].append((name, regex))
        by_base: dict[str, list[tuple[str, list[tuple[str, re.Pattern[str]]]]]] = defaultdict(list)
        for key, entries in by_key.items():
            by_base[_base(key)].append((key, entries))
        self.by_base = dict(by_base)
        self.bases = frozenset(self.by_base)
        self.short = list(short.items())
        self.rest = [(name, r) for name, f in finders.items() for r in f.rest]

    def finditer(self, doc: Doc) -> dict[str, list[re.Match[str]]]:
        text = doc.text
        found: dict[str, list[re.Match[str]]] = {name: [] for name in self.names}
        for base in self.bases & doc.keys:
            for key, entries in self.by_base[base]:
                positions = doc.positions(key)
                if positions:
                    for name, regex in entries:
                        match = regex.match
                        found[name] += [m for p in positions if (m := match(text, p))]
        for key, entries in self.short:
            positions = doc.positions(key)
            if positions:
                for name, regex in entries:
                    match = regex.match
                    found[name] += [m for p in positions if (m := match(text, p))]
        for name, regex in self.rest:
            found[name].extend(regex.finditer(text))
        return {name: _as_re(self.regexes[name], text, found[name]) for name in self.names}


_SETS: dict[tuple[tuple[str, int], ...], tuple[tuple[Finder, ...], FinderSet]] = {}


def finder_set(finders: dict[str, Finder]) -> FinderSet:
    """One FinderSet per combination of Finder objects (detectors are shared by content, so a
    rubric read again from the database gets the same one)."""
    key = tuple((name, id(f)) for name, f in finders.items())
    cached = _SETS.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], finders.values(), strict=True)):
        return cached[1]
    if len(_SETS) > 64:
        _SETS.clear()
    built = FinderSet(finders)
    _SETS[key] = (tuple(finders.values()), built)
    return built
