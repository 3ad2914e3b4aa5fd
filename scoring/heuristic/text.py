"""Reading an answer: sentences with exact offsets, clause scope, and negation around a cue."""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from scoring.heuristic.fastre import Doc, Finder

# A sentence ends at ., ! or ? followed by space and something that is not lowercase (so
# "e.g. the beta" and "5.5%" stay whole), at a semicolon-free line break, or at a bullet.
_SENTENCE_END = re.compile(
    r"[.!?\n](?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\betc\.)(?<!\bapprox\.)(?<!\bincl\.)"
    r"(?:(?<=\n)|[.!?]*[\"'”’)\]]*(?=\s+[^a-z\s]))"
)
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s+")
_WORD = re.compile(r"[A-Za-z0-9][\w'’%-]*")

# Where the reach of a negation or contrast word stops inside a sentence.
_CLAUSE_PUNCT = re.compile(r"[,;:()—–]|\s-\s")
_CLAUSE_WORD = Finder(
    r"\b(?:but|however|whereas|while|although|though|yet|so|then|which|because|instead(?! of)|"
    r"and then|and only|only then)\b"
)
_STRONG_PUNCT = re.compile(r"[;:—–]|\s-\s")
_STRONG_WORD = Finder(r"\b(?:but|however|whereas|instead(?! of)|then)\b")
SCOPE_FINDERS = (_CLAUSE_WORD, _STRONG_WORD)

# Words that put what follows them (in the same clause) out of the candidate's plan:
# negation ("we would not launch globally"), contrast ("rather than views"), staging
# ("before any global push"), and rejection ("the trap is chasing downloads").
_NEGATOR = re.compile(
    r"\b(?:not|no|never|nor|without|rather than|instead of|in place of|as opposed to|"
    r"\w+n[’']t|cannot|avoid\w*|resist\w*|skip\w*|ignor\w*|beyond|less (?:about|on)|"
    r"before|until|unless|mistake|trap|tempt\w*|naive|vanity|beware|stop\w*|doubt\w*|"
    r"over-?index\w*|distract\w*|alone|only as|secondary|hold(?:ing)? off|delay\w*|"
    r"postpon\w*|defer\w*|rule out|wary|caution\w*)\b|"
    # Someone else's idea, reported so it can be argued with: "Product is keen on a global launch".
    r"\b(?:product|leadership|management|sales|the ceo|the cfo|the vp|my (?:boss|manager|director)|"
    r"stakeholders|they|he|she|the team|\w+ team|everyone|everybody|the business|execs?)"
    r"\s+(?:is |are |was |were |really |originally )*(?:keen on|wants?|wanted|asked for|asks for|"
    r"pushing for|pushed for|pushes for|suggested|proposed|loved|loves)\b",
    re.IGNORECASE,
)
# The narrower set used for structure features: "a control group before launch" still counts.
_STRICT_NEGATOR = re.compile(
    r"\b(?:not|no|never|nor|without|rather than|instead of|in place of|as opposed to|"
    r"\w+n[’']t|cannot|avoid\w*|resist\w*|skip\w*|ignor\w*|doubt\w*|less about|nothing)\b",
    re.IGNORECASE,
)
# "retention over raw views": "over" right before the cue (but not "over 10 million views").
_OVER = re.compile(
    r"\b(?:over|vs\.?|versus)\s+(?:(?:raw|vanity|surface[- ]level|simple|mere|just|top-line|"
    r"headline|pure)\s+)*$",
    re.IGNORECASE,
)
# A verdict after the cue that dismisses it: "views are a vanity number", "likes alone don't
# tell us anything", "downloads only as a diagnostic".
_DISMISSAL = re.compile(
    r"\W*(?:[\w’'-]+,?\s+){0,3}?(?:(?:is|are|was|were|remain|stay|as|be|would be|[’']s|[’']re)\s+"
    r"(?:\w+\s+){0,3}?(?:vanity|noise|noisy|misleading|secondary|diagnostics?|a proxy|not\b|"
    r"irrelevant|meaningless|distraction|gameable|easy to (?:game|inflate|buy)|surface|"
    r"nice[- ]to[- ]have|no (?:proof|evidence|signal)|useless|hollow|cheap|empty|wrong|"
    r"premature|too early|a mistake|reliable|fine|unlikely)|alone\b|only (?:as|to)\b|"
    r"(?:don[’']t|do not|doesn[’']t|does not|won[’']t|will not|can[’']t|cannot|never)\s+"
    r"(?:\w+\s+){0,2}?(?:matter|tell|prove|mean|show|count|translate|pay|predict|equal|"
    r"guarantee|capture|feel right|apply|fit)|would (?:leave|miss|lose|hurt|limit|dilute)|"
    # Noise: "daily numbers bounce around too much".
    r"(?:bounc|jump|swing|mov)\w* around|fluctuat\w*|(?:is|are) (?:too )?(?:volatile|unreliable))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences and bullet items, trimmed, each with offsets such that text[start:end] == text."""
    found: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        _add(text, start, m.end(), found)
        start = m.end()
    _add(text, start, len(text), found)
    return found


def _add(text: str, start: int, end: int, found: list[Sentence]) -> None:
    chunk = text[start:end]
    bullet = _BULLET.match(chunk)
    if bullet:
        start += bullet.end()
        chunk = text[start:end]
    stripped = chunk.strip()
    if not _WORD.search(stripped):
        return
    start += len(chunk) - len(chunk.lstrip())
    end = start + len(stripped)
    found.append(Sentence(start, end, stripped))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


class Scope:
    """Negation and contrast scope within an answer's sentences (clause breaks found once)."""

    def __init__(self, text: str, doc: Doc | None = None) -> None:
        self.text = text
        self.doc = doc or Doc(text)
        self._breaks: tuple[list[int], list[int]] | None = None

    def _breaks_of(self) -> tuple[list[int], list[int]]:
        if self._breaks is None:
            text, doc = self.text, self.doc
            clause_ends = [m.end() for m in _CLAUSE_PUNCT.finditer(text)]
            clause_ends += [m.end() for m in _CLAUSE_WORD.finditer(doc)]
            strong = [m.start() for m in _STRONG_PUNCT.finditer(text)]
            strong += [m.start() for m in _STRONG_WORD.finditer(doc)]
            self._breaks = (sorted(clause_ends), sorted(strong))
        return self._breaks

    def clause_ends(self) -> list[int]:
        """Where each clause ends (after its punctuation or linking word), in order."""
        return self._breaks_of()[0]

    def clause_prefix(self, sentence: Sentence, pos: int) -> str:
        """The part of pos's clause that comes before pos."""
        clause_ends, _ = self._breaks_of()
        i = bisect_right(clause_ends, pos) - 1
        start = clause_ends[i] if i >= 0 else 0
        return self.text[max(start, sentence.start) : pos]

    def negated(self, sentence: Sentence, start: int, end: int, *, strict: bool = False) -> bool:
        """Whether text[start:end] is negated, contrasted away, staged or dismissed.

        strict=True uses only plain negation and contrast (for structure features).
        """
        prefix = self.clause_prefix(sentence, start)[-80:]
        negator = _STRICT_NEGATOR if strict else _NEGATOR
        if negator.search(prefix) or _OVER.search(prefix):
            return True
        _, strong = self._breaks_of()
        j = bisect_left(strong, end)
        stop = min(strong[j], sentence.end) if j < len(strong) else sentence.end
        return bool(_DISMISSAL.match(self.text, end, stop))


def shorten(quote: str, limit: int = 90) -> str:
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    return quote[: limit - 1].rsplit(" ", 1)[0] + "…"
