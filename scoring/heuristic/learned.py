"""The learned layer: one linear model per failure mode, over what the rules already read.

The rules (detect.py) are precise but miss wording they were never written for. Each failure
mode with a model in learned.json is also scored by a logistic regression over:

- the answer's words, lowercased (and word pairs when learned.json says "pairs"); a word inside
  the clause of a plain negation ("we would not launch globally") is read as NOT_launch,
  NOT_globally (the clause ends as text.Scope reads them);
- the question's kind, the answer's length band, the rules' own findings (one feature per failure
  mode the rubric scores) and the structure features the reading found (features.py).

A mode is found when its rule fires and the model does not veto it (a probability below the
mode's veto), or when the model alone is confident (at or above the mode's threshold). Both
cut-offs were chosen by cross-validation over authors, not on a test set. A model-only finding
quotes the sentence that adds most to the mode's score, whole, so evidence stays an exact
passage of the answer. Modes without a model, question kinds a mode's model never saw, and
answers shorter than nearly all it learned from (min_words) are left to the rules.

The weights are fitted offline by scripts/train_learned.py and read once per process; scoring
is dictionary look-ups and sums, with no numerical library.
"""

import json
import math
import re
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path

from scoring.heuristic.fastre import Finder
from scoring.heuristic.reading import Reading
from scoring.packing import SCALE, pack, unpack

WEIGHTS = Path(__file__).with_name("learned.json")
# Words are runs of letters, digits and ' ’ % - (everything else, lowercased, is a space):
# str.translate and str.split do in C what a token regex would do at a third of the speed.
_KEPT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'’%-")
_SPACES = str.maketrans(
    {c: " " for c in (*range(0x250), *range(0x2000, 0x2070)) if chr(c) not in _KEPT}
)
NEGATED = "NOT_"
# The plain negators of text._STRICT_NEGATOR, found the fast way: the words through the answer's
# word index, "…n't" by its ending.
_NEGATOR_WORDS = Finder(
    r"\b(?:not|no|never|nor|without|rather than|instead of|in place of|as opposed to|cannot|"
    r"avoid\w*|resist\w*|skip\w*|ignor\w*|doubt\w*|less about|nothing)\b"
)
FINDERS = (_NEGATOR_WORDS,)
_NT = re.compile(r"n[’']t\b")
# Length bands: a short answer leaves out what a long one has room for.
_BANDS = ((80, "words<80"), (150, "words<150"), (300, "words<300"))


def answer_words(reading: Reading) -> list[str]:
    """The answer's words in order, lowercased, those in a negated clause prefixed NOT_."""
    text = reading.doc.lower.translate(_SPACES)  # offsets unchanged: one char for one
    return _words(text, 0, len(text), _negated(reading, text))


def sentence_words(reading: Reading) -> list[list[str]]:
    """Each sentence's words, as answer_words reads them."""
    text = reading.doc.lower.translate(_SPACES)
    negated = _negated(reading, text)
    return [_words(text, s.start, s.end, negated) for s in reading.sentences]


def _negated(reading: Reading, text: str) -> list[tuple[int, int]]:
    """Where a negation reaches: from the negator to the end of its clause or sentence."""
    found = sorted(
        [m.end() for m in _NEGATOR_WORDS.finditer(reading.doc)]
        + [m.end() for m in _NT.finditer(text)]
    )
    if not found:
        return []
    ends = reading.scope.clause_ends()
    spans: list[tuple[int, int]] = []
    for pos in found:
        i = bisect_right(ends, pos)
        stop = min(ends[i] if i < len(ends) else len(text), reading.sentence_for(pos).end)
        if spans and pos <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(stop, spans[-1][1]))
        else:
            spans.append((pos, stop))
    return spans


def _words(text: str, start: int, end: int, negated: list[tuple[int, int]]) -> list[str]:
    out: list[str] = []
    pos = start
    for a, b in negated:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out += text[pos:a].split()
        out += [NEGATED + w for w in text[a:b].split()]
        pos = b
    out += text[pos:end].split()
    return out


def terms(words: list[str], pairs: bool = True) -> set[str]:
    """The distinct words and, with `pairs`, pairs of neighbouring words ("first second")."""
    out = set(words)
    if pairs:
        out.update(map(" ".join, zip(words, words[1:], strict=False)))
    return out


def answer_features(reading: Reading, kind: str, words: int, found: set[str]) -> list[str]:
    """What the model reads besides the words: kind, length, rule findings, structure."""
    band = next((name for limit, name in _BANDS if words < limit), "words>=300")
    return [
        f"kind={kind}",
        band,
        *(f"rule={key}" for key in sorted(found)),
        *(f"feature={name}" for name, spans in sorted(reading.spans.items()) if spans),
    ]


@dataclass(frozen=True)
class ModeModel:
    key: str
    bias: float
    threshold: float  # logit at or above which the model alone finds the mode
    veto: float  # logit below which the model overrules the mode's rule (-inf: never)
    kinds: frozenset[str]  # the question kinds it was trained on; others are left to the rules


@dataclass(frozen=True)
class Verdict:
    key: str
    logit: float
    found: bool

    @property
    def probability(self) -> float:
        return 1 / (1 + math.exp(-self.logit))


class LearnedLayer:
    """The fitted models: for each mode, its bias, cut-offs and weights by term."""

    def __init__(self, data: dict) -> None:
        self.version: str = data["version"]
        self.min_words: int = data.get("min_words", 0)
        self.pairs: bool = data.get("pairs", True)  # whether word pairs are terms too
        self.modes = {
            key: ModeModel(
                key,
                m["bias"],
                _logit(m["threshold"]),
                _logit(m.get("veto")),
                frozenset(m.get("kinds", ())),
            )
            for key, m in sorted(data["modes"].items())
        }
        self.weights: dict[str, dict[str, float]] = {
            key: data["weights"].get(key, {}) for key in self.modes
        }
        # Every term's weights for all modes packed into one int (scoring/packing.py): one
        # look-up per term and one sum of ints for every mode at once.
        keys = list(self.modes)
        self.packed: dict[str, int] = {
            term: pack(enumerate(self.weights[key].get(term, 0.0) for key in keys))
            for term in set().union(*self.weights.values())
        }

    def logits(self, seen: set[str]) -> dict[str, float]:
        """Every mode's logit for an answer showing these terms (features included)."""
        total = sum(filter(None, map(self.packed.get, seen)))
        sums = unpack(total, len(self.modes))
        return {
            key: m.bias + x / SCALE for (key, m), x in zip(self.modes.items(), sums, strict=True)
        }

    def judge(
        self, keys: list[str], kind: str, rule_found: set[str], seen: set[str]
    ) -> list[Verdict]:
        """For each of `keys` with a model for this kind: whether rule and model find it."""
        wanted = [k for k in keys if k in self.modes and kind in self.modes[k].kinds]
        if not wanted:
            return []
        logits = self.logits(seen)
        verdicts = []
        for key in wanted:
            mode, logit = self.modes[key], logits[key]
            cut = mode.veto if key in rule_found else mode.threshold
            verdicts.append(Verdict(key, logit, logit >= cut))
        return verdicts

    def best_sentence(
        self, key: str, sentences: list[list[str]], among: Collection[int] = ()
    ) -> int:
        """The index of the sentence whose words add most to the mode's score (of those in
        `among`, when given)."""
        weights = self.weights[key]
        scores = [sum(map(weights.get, terms(w, self.pairs), repeat(0.0))) for w in sentences]
        return max(sorted(among) or range(len(scores)), key=scores.__getitem__)


def _logit(p: float | None) -> float:
    if p is None:
        return -math.inf
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


@cache
def load(path: Path = WEIGHTS) -> LearnedLayer | None:
    """The layer shipped with the code, read once per process; None when there is none."""
    if not path.exists():
        return None
    return LearnedLayer(json.loads(path.read_text(encoding="utf-8")))
