"""Run big alternations only where they can start.

Python's `re` tries every alternative at every position, so a feature with a hundred wordy
alternatives costs a millisecond per answer. Almost all of ours start with a word boundary and a
literal ("\\bretention", "\\b(?:daily|weekly) active"), so a pattern is split by how its
alternatives start, and at each word of the answer only the alternatives that can begin with that
word are tried (which ones is worked out once per distinct word: answers share their words).
Alternatives whose start we cannot read (digits, "$", lookbehinds) are searched normally.
That only says where to look: at each place where some alternative matched, the whole pattern is
matched again, left to right and skipping what an earlier match covered, so the spans are
exactly those of `re.finditer` (tests/test_fastre.py checks this over every labelled answer with
every cue and feature pattern).
"""

import re
from collections import defaultdict
from dataclasses import dataclass

_CAP = "\x00CAP"  # an alternative that starts with a capitalised word
_DIGIT = "\x00DIGIT"  # ...or with a digit
_SPECIAL = (_CAP, _DIGIT)
_WHOLE = "\x01"  # marks a literal that is a whole word
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WORDISH = re.compile(r"\w+")
_LITERAL = re.compile(r"[a-z0-9][a-z0-9 '’-]*", re.IGNORECASE | re.ASCII)
# The only other characters re.IGNORECASE takes for an ASCII letter (checked over all of Unicode)
_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})


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


_NONWORD = ("\\b", "\\s", " ", ",", ":", ";", "/", "-", "[’']", "['’]", "[’\\x27]", "[’'-]", "[- ]")


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


def _optional(quantifier: str) -> bool:
    """Whether what precedes this may match nothing ("?", "*", "{0,2}")."""
    return quantifier[:1] in ("?", "*") or quantifier.startswith("{0")


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
    literal, rest = m.group(), alt[m.end() :]
    if rest[:1] in ("?", "*", "{"):
        literal = literal[:-1]
    elif literal.endswith(" ") and rest.startswith("(?:"):
        # "the (?:cause|culprit)": the next word is one of the group's literals
        end = _close(rest, 0)
        if end > 0 and rest[end + 1 : end + 2] not in ("?", "*", "{"):
            following = prefixes(rest, bounded=True, follow=follow)
            if following and not following & set(_SPECIAL):
                return {literal.lower() + f for f in following}
    elif (
        len(literal) < 3 and rest.startswith(r"\d") and rest[2:3] not in "?*" and rest[2:4] != "{0"
    ):
        return {literal.lower() + digit for digit in "0123456789"}  # "d7", "w12"
    elif literal.isalnum() and _nonword_next(rest or follow):
        return {literal.lower() + _WHOLE}
    return {literal.lower()} if literal else None


def _key(literal: str) -> str:
    """The group a literal's alternatives are compiled in: its first word's first three
    letters, or the whole first word (marked) when it is known to end within three letters
    ("i ", "a/"), with the next word's start when one follows ("the most")."""
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


_START = re.Match.start
_GROUP = re.Match.group


def _lower(text: str) -> str:
    """text.lower() with the offsets kept (a character that lowercases to two stays as it is),
    and the letters re.IGNORECASE matches to an ASCII one written as that letter."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lower if lower.isascii() else lower.translate(_FOLD)


class Doc:
    """An answer, lowercased once, with where each of its words starts, and what each Finder
    run over it found (so that one pass over its words can serve them all)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = _lower(text)
        found = list(_WORDISH.finditer(text))
        self.words = list(zip(map(_START, found), map(_GROUP, found), strict=True))
        self.found: dict[Finder, list[re.Match[str]]] = {}


class Finder:
    """finditer for one pattern, tried only where one of its alternatives can start."""

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.regex = re.compile(pattern, flags)
        by_key: dict[str, list[str]] = defaultdict(list)
        literals: dict[str, set[str]] = defaultdict(set)
        rest: list[re.Pattern[str]] = []
        for alt in split_top(pattern):
            found = prefixes(alt)
            if found is None:
                rest.append(re.compile(alt, flags))
                continue
            for literal in found:
                literals[_key(literal)].add(literal)
            for key in sorted({_key(literal) for literal in found}):
                by_key[key].append(alt)
        # At a word with a given start, one match tries every alternative that can begin there.
        self.compiled = {
            k: re.compile("|".join(f"(?:{a})" for a in alts), flags) for k, alts in by_key.items()
        }
        # ...and the literals that say which words it can begin at ("wit" -> "without the").
        self.starts = {k: _Starts.of(lits) for k, lits in literals.items()}
        self.rest = tuple(rest)
        self._alone: FinderSet | None = None

    def finditer(self, doc: Doc) -> list[re.Match[str]]:
        if self._alone is None:
            self._alone = FinderSet({"": self})
        return self._alone.finditer(doc)[""]


def _as_re(
    regex: re.Pattern[str], text: str, found: list[re.Match[str]], alone: bool
) -> list[re.Match[str]]:
    """What regex.finditer(text) gives, knowing every place where a match can start: re takes
    the leftmost match, then the first alternative that matches there, then goes on after it.

    alone: every alternative was tried where it could start (none is searched for normally),
    so where only one of the groups of alternatives matched, its match is the whole pattern's.
    """
    if not found:
        return []
    found.sort(key=_START)
    out: list[re.Match[str]] = []
    end = -1
    last = len(found) - 1
    for i, m in enumerate(found):
        start = m.start()
        if start < end:
            continue
        only = (
            alone
            and (i == 0 or found[i - 1].start() != start)
            and (i == last or found[i + 1].start() != start)
        )
        hit = m if only else regex.match(text, start)
        if hit is not None and hit.end() > start:
            out.append(hit)
            end = hit.end()
    return out


_Entry = tuple[str, re.Pattern[str], tuple[str, ...]]
# At one word: the regexes to try there; the literals one of which must start there for any of
# the rest to match; the rest, each with its own literals.
_AtWord = tuple[tuple[tuple[str, re.Pattern[str]], ...], tuple[str, ...], tuple[_Entry, ...]]
_NOTHING: _AtWord = ((), (), ())


@dataclass(frozen=True)
class _Starts:
    """The literals of one group of alternatives, by how a word can begin one of them."""

    whole: frozenset[str]  # whole words ("retention" but not "retentions")
    prefixes: tuple[str, ...]  # word beginnings ("retent")
    # a word followed by more ("the" -> "the problem", "i" -> "i’d"): checked where it occurs
    followed: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, literals: set[str]) -> "_Starts":
        whole, prefixes, followed = set(), set(), defaultdict(set)
        for literal in literals:
            m = _WORDISH.match(literal)
            if not m:
                continue
            first, rest = m.group(), literal[m.end() :]
            if rest == _WHOLE:
                whole.add(first)
            elif not rest:
                prefixes.add(first)
            else:
                followed[first].add(literal.rstrip(_WHOLE))
        return cls(
            frozenset(whole),
            tuple(sorted(prefixes)),
            {w: tuple(sorted(more)) for w, more in followed.items()},
        )

    def at(self, word: str) -> tuple[str, ...] | None:
        """() when a match can start at this (lowercase) word, the literals to check where it
        occurs when one can only if what follows fits, None when none can."""
        if word in self.whole or word.startswith(self.prefixes):
            return ()
        return self.followed.get(word)


class FinderSet:
    """Many Finders run in one pass over the answer's words.

    Which of their per-key regexes can match at a word depends on the word alone, so it is
    worked out once per distinct word and remembered; at each word only those are tried.
    """

    _MEMO_SIZE = 20_000

    def __init__(self, finders: dict[str, Finder]) -> None:
        self.finders = finders
        self.names = tuple(finders)
        self.regexes = {name: finder.regex for name, finder in finders.items()}
        self.by_key: dict[str, list[tuple[str, re.Pattern[str], _Starts]]] = defaultdict(list)
        for name, finder in finders.items():
            for key, regex in finder.compiled.items():
                self.by_key[key].append((name, regex, finder.starts[key]))
        # "i" -> the pair keys "i\x01wou", "i\x01wil"...: a short word and the next one's start
        self.pairs: dict[str, list[str]] = defaultdict(list)
        for key in self.by_key:
            word, _, following = key.partition(_WHOLE)
            if following:
                self.pairs[word].append(key)
        self.rest = [(name, r) for name, f in finders.items() for r in f.rest]
        self.searched = frozenset(name for name, _ in self.rest)
        self._memo: dict[str, _AtWord] = {}

    def _keys(self, word: str, lower: str) -> list[str]:
        keys = [lower[:1], lower[:2], lower[:3]] if len(lower) > 3 else [lower[:1], lower[:2]]
        if len(lower) <= 3:
            keys += [lower, lower + _WHOLE, *self.pairs.get(lower, ())]
        if word[0] in _UPPER:
            keys.append(_CAP)
        if word[0].isdecimal():
            keys.append(_DIGIT)
        return keys

    def _entries(self, word: str) -> _AtWord:
        """The regexes worth trying where this word starts: those the word itself shows one of
        the literals of, and those where what follows the word must be checked first."""
        lower = _lower(word)
        always: list[tuple[str, re.Pattern[str]]] = []
        checked: list[_Entry] = []
        for key in dict.fromkeys(self._keys(word, lower)):
            for name, regex, starts in self.by_key.get(key, ()):
                check = () if key in _SPECIAL else starts.at(lower)
                if check == ():
                    always.append((name, regex))
                elif check:
                    checked.append((name, regex, check))
        if len(self._memo) >= self._MEMO_SIZE:
            self._memo.clear()
        if not always and not checked:
            entries = _NOTHING
        else:
            union = tuple(sorted({lit for _, _, lits in checked for lit in lits}))
            entries = (tuple(always), union, tuple(checked))
        self._memo[word] = entries
        return entries

    def finditer(self, doc: Doc) -> dict[str, list[re.Match[str]]]:
        """Each finder's matches, as re.finditer gives them (do not change the lists)."""
        known = doc.found
        if all(f in known for f in self.finders.values()):
            return {name: known[f] for name, f in self.finders.items()}
        text, starts, memo = doc.text, doc.lower.startswith, self._memo
        found: dict[str, list[re.Match[str]]] = {name: [] for name in self.names}
        for p, word in doc.words:
            entries = memo.get(word)
            if entries is None:
                entries = self._entries(word)
            always, union, checked = entries
            for name, regex in always:
                m = regex.match(text, p)
                if m is not None:
                    found[name].append(m)
            if union and starts(union, p):
                for name, regex, literals in checked:
                    if starts(literals, p):
                        m = regex.match(text, p)
                        if m is not None:
                            found[name].append(m)
        for name, regex in self.rest:
            found[name].extend(regex.finditer(text))
        out = {
            name: _as_re(self.regexes[name], text, found[name], name not in self.searched)
            for name in self.names
        }
        known.update((f, out[name]) for name, f in self.finders.items())
        return out


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
