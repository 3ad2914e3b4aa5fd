"""Learned failure-mode decisions: one linear model per failure mode over what the rules saw.

The detectors (detect.py) say what each failure mode's cues and absence rules found; the reading
says which structure features the answer shows. A model here weighs that evidence together with
the answer's words, so that no single hand-written cue decides on its own. Weights are trained by
scripts/train_heuristic.py (scikit-learn, a dev dependency) and stored in decisions.json; here they
are applied with a plain dot product, so scoring needs neither numpy nor scikit-learn.

The features of one (answer, failure mode) pair, all generic (nothing names a sentence):
- "rule", "rule:cue", "rule:absence": whether the mode's detector fired, and how;
- "f:NAME": each structure feature the reading found (the rubric's, as in raw["features"]);
- "words": log of the word count, "kind:KIND": the question kind;
- "w:WORD": 1 for each word the answer uses, digits folded to 0, written "w:NEG_WORD" when a
  negation ("not", "no", "never", "without", "rather than", "-n't"...) governs it in its clause.
"""

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import mul
from pathlib import Path
from typing import Any

MODEL = Path(__file__).with_name("decisions.json")

_WORD = re.compile(r"[a-z0-9][a-z0-9'%-]*")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'%-")
_FOLD = str.maketrans("123456789\u2019", "000000000'")
_NEGATORS = ("not", "no", "never", "nor", "without", "cannot", "neither", "nothing", "none")
_NEGATORS += ("instead", "rather", "avoid")
# Where a negation's reach ends: clause punctuation or a word that starts a new clause.
_CLAUSE_END = re.compile(
    r"[.,;:!?()\u2014\u2013]|(?<![-'])\b(?:but|however|whereas|while|although|though|yet|so|"
    r"then|which|because)\b(?!['%-])"
)


def words_of(text: str) -> set[str]:
    """The answer's words, digits folded to 0, "NEG_word" where a negation governs the word."""
    text = text.lower().translate(_FOLD)
    plain: list[str] = []
    negated: list[str] = []
    start = 0
    for neg_start, neg_end in _negators(text):
        if neg_start < start:  # within the reach of an earlier negation
            continue
        end = _CLAUSE_END.search(text, neg_end)
        stop = end.start() if end else len(text)
        plain.append(text[start:neg_start])
        negated.append(text[neg_end:stop])
        start = stop
    plain.append(text[start:])
    words = set(_WORD.findall(" ".join(plain)))
    if negated:
        words.update(
            "NEG_" + w
            for w in _WORD.findall(" ".join(negated))
            if w not in _NEGATORS and not w.endswith("n't")
        )
    return words


def _negators(text: str) -> list[tuple[int, int]]:
    """Spans of the negating words, in order (str.find is much faster here than a regex)."""
    found = []
    size = len(text)
    for word in _NEGATORS:
        i = text.find(word)
        while i != -1:
            j = i + len(word)
            if (i == 0 or text[i - 1] not in _WORD_CHARS) and (
                j == size or text[j] not in _WORD_CHARS
            ):
                found.append((i, j))
            i = text.find(word, j)
    i = text.find("n't")
    while i != -1:  # don't, isn't, won't...
        j = i + 3
        if j == size or text[j] not in _WORD_CHARS:
            k = i
            while k and text[k - 1] in _WORD_CHARS:
                k -= 1
            found.append((k, j))
        i = text.find("n't", j)
    found.sort()
    return found


def word_features(text: str) -> dict[str, float]:
    """words_of() as named features ("w:retention", "w:NEG_views"), as training reads them."""
    return dict.fromkeys((f"w:{w}" for w in words_of(text)), 1.0)


def answer_features(kind: str, words: int, features: Iterable[str]) -> dict[str, float]:
    """The features every failure mode of one answer shares (words_of() adds the words)."""
    out = {f"f:{name}": 1.0 for name in features}
    out["words"] = math.log(max(words, 1)) / 6
    out[f"kind:{kind}"] = 1.0
    return out


def rule_features(how: str | None) -> dict[str, float]:
    """The detector's own finding: None, "cue" or "absence"."""
    if how is None:
        return {}
    return {"rule": 1.0, f"rule:{how}": 1.0}


# Under SHORT_WORDS words an answer gives the word weights little to go on, so there the rules'
# finding stands unless the model is sure against it (a margin beyond SHORT_MARGIN, ~3:1 odds).
SHORT_WORDS = 60
SHORT_MARGIN = 1.0


@dataclass(frozen=True)
class Decision:
    """bias + Σ weight × value: the log-odds that the failure mode is present."""

    bias: float
    weights: dict[str, float]  # by feature name; a word's is "w:WORD"
    rubrics: frozenset[str]  # the rubrics it was trained on; elsewhere the rules decide

    def margin(self, *features: dict[str, float]) -> float:
        """The dot product with the named features."""
        get = self.weights.get
        total = self.bias
        for part in features:  # map() and sum() keep the loop in C
            total += sum(map(mul, map(get, part, repeat(0.0)), part.values()))
        return total


class Model:
    """The decisions of every failure mode, with the word weights laid out to be summed at once.

    margins() is Decision.margin() with words_of() for the "w:" features, for all the failure
    modes asked for: each word's weights are looked up once, as one tuple across the modes.
    """

    def __init__(self, decisions: dict[str, Decision]) -> None:
        self.decisions = decisions
        self.keys = tuple(decisions)
        vectors: dict[str, list[float]] = {}
        self._named: list[dict[str, float]] = []
        for i, decision in enumerate(decisions.values()):
            named = {}
            for name, weight in decision.weights.items():
                if name.startswith("w:"):
                    vectors.setdefault(name[2:], [0.0] * len(self.keys))[i] = weight
                else:
                    named[name] = weight
            self._named.append(named)
        self._vectors = {word: tuple(v) for word, v in vectors.items()}
        self._names = frozenset(name for named in self._named for name in named)

    def applies(self, key: str, rubric: str) -> bool:
        decision = self.decisions.get(key)
        return decision is not None and rubric in decision.rubrics

    def margins(
        self,
        keys: Iterable[str],
        words: Iterable[str],
        shared: dict[str, float],
        rules: dict[str, str],
    ) -> dict[str, float]:
        """Each key's margin, from the answer's words_of(), shared features and rule findings."""
        rows = list(filter(None, map(self._vectors.get, words)))
        sums = list(map(sum, zip(*rows, strict=True))) if rows else [0.0] * len(self.keys)
        shared = {k: v for k, v in shared.items() if k in self._names}
        out = {}
        for i, key in enumerate(self.keys):
            if key in keys:
                get = self._named[i].get
                total = self.decisions[key].bias + sums[i]
                for part in (shared, rule_features(rules.get(key))):
                    total += sum(map(mul, map(get, part, repeat(0.0)), part.values()))
                out[key] = total
        return out


def present(margin: float, rule_found: bool, words: int) -> bool:
    """The decision from the model's margin and the rules' own finding."""
    if words < SHORT_WORDS:
        margin += SHORT_MARGIN if rule_found else -SHORT_MARGIN
    return margin > 0


def decisions_from(data: dict[str, Any]) -> dict[str, Decision]:
    return {
        key: Decision(
            bias=float(m["bias"]),
            weights={k: float(v) for k, v in m["weights"].items()},
            rubrics=frozenset(m["rubrics"]),
        )
        for key, m in data["modes"].items()
    }


@lru_cache(maxsize=4)
def load(path: Path = MODEL) -> dict[str, Decision]:
    """The stored decisions by failure-mode key (a missing file is an error, not the rules)."""
    return decisions_from(json.loads(path.read_text(encoding="utf-8")))
