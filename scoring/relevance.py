"""Does an answer answer the bank question it was given? Four linear readings of its words.

Counting the question's rare words (fit.py) catches an answer about another subject, but not
one that reuses the question's own nouns to make a different decision: an experiment design
for boosting long videos given to "would you let creators post 15-minute videos?", a story
about being coached given to "tell me about coaching someone". Over the answer's TF-IDF words:

- `p`: a multinomial logistic regression with one class per bank question, trained on thousands
  of on-topic answers by many authors, gives P(asked question | answer): low when the answer
  reads like an answer to another question;
- `strays`: how much less like the question's usual answers this one is (its similarity to the
  mean of their vectors, in standard deviations of theirs);
- `contrast`: a binary logistic regression trained on on-topic against off-topic answers, from
  the graded sets and answers written to miss their question, over content words per kind of
  question: what off-topic answers to that kind of question share;
- `p_rest`: P(asked question | answer) again, from the answer's words other than the question's
  own (its prompt and context), by a second regression trained on answers read that way: an
  answer that borrows the question's nouns for a different decision ("watch time per DAU" in a
  pitch for a new north-star metric) reads like another question's answers once they are gone.

A small logistic regression fitted on the four, each computed for answers by authors the
models were not trained on, gives P(off topic). Questions the models were not trained on (ones
added since, ad-hoc prompts, follow-ups) are left to the word count alone. The weights are
fitted offline by scripts/train_relevance.py and read once per process; scoring is dictionary
look-ups and sums.
"""

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from scoring.packing import SCALE, pack, unpack

WEIGHTS = Path(__file__).with_name("relevance.json")
# scikit-learn's default token pattern, on lowercased text, as the models were trained.
_TOKEN = re.compile(r"\b\w\w+\b")


def _sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v)) if v > -60 else 0.0


def _unit(x: dict[str, float]) -> dict[str, float]:
    """x scaled to length 1 (left as it is when empty), as scikit-learn normalises."""
    norm = math.sqrt(sum(v * v for v in x.values())) or 1.0
    return {w: v / norm for w, v in x.items()}


def logit(p: float) -> float:
    """log(p / (1 - p)), p kept within 1e-6 of 0 and 1 (as scripts/train_relevance.py reads it)."""
    clipped = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(clipped / (1 - clipped))


@dataclass(frozen=True)
class Relevance:
    off_topic: float  # P(the answer does not answer the asked question)
    p: float  # P(asked question | answer) among the bank's questions
    p_rest: float  # the same from the answer's words other than the question's own
    strays: float  # standard deviations less like the question's usual answers (negative)
    reads_like: str  # the bank question it reads most like


@dataclass(frozen=True)
class RelevanceModel:
    questions: tuple[str, ...]  # slugs, in class order
    asks: dict[str, str]  # slug -> the question's asking sentence when trained
    bias: tuple[float, ...]
    idf: dict[str, float]
    weights: dict[str, tuple[tuple[int, float], ...]]  # word -> (class, weight) where non-zero
    # slug -> (its answers' mean vector's largest words, their similarity's mean and sd)
    centroids: dict[str, tuple[dict[str, float], float, float]]
    kinds: dict[str, str]  # slug -> kind
    # kind -> (bias, word -> weight towards "off topic"), for answers to that kind of question
    contrast: dict[str, tuple[float, dict[str, float]]]
    contrast_bias: float
    # P(asked question | the answer's other words): biases, word -> (class, weight), and each
    # question's own words, left out of the answer to read it
    rest_bias: tuple[float, ...]
    rest_weights: dict[str, tuple[tuple[int, float], ...]]
    own_words: dict[str, frozenset[str]]
    # weights of logit p, strays, contrast and logit p_rest; bias
    combine: tuple[float, float, float, float, float]
    # word -> its weights for every class packed in one int (scoring/packing.py), so that the
    # classes' scores are one sum of ints rather than a loop over words and classes
    packed: dict[str, int] = field(init=False, default_factory=dict, repr=False)
    rest_packed: dict[str, int] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for weights, packed in ((self.weights, self.packed), (self.rest_weights, self.rest_packed)):
            if any(abs(w) >= 100 for pairs in weights.values() for _, w in pairs):
                raise ValueError("relevance weights of 100 or more would overflow their field")
            packed.update({w: pack(pairs) for w, pairs in weights.items()})

    def knows(self, slug: str | None) -> bool:
        return bool(slug) and slug in self.centroids

    def vector(self, answer: str) -> dict[str, float]:
        """The answer's TF-IDF words (sublinear counts), normalised as scikit-learn does."""
        idf = self.idf
        counts = Counter(_TOKEN.findall(answer.lower()))
        return _unit({w: (1.0 + math.log(n)) * idf[w] for w, n in counts.items() if w in idf})

    def probabilities(self, x: dict[str, float], rest: bool = False) -> list[float]:
        """P(question | answer) for every known question, in `questions` order; with `rest`, by
        the model of answers without their question's words (x should be read that way too)."""
        packed, bias = (self.rest_packed, self.rest_bias) if rest else (self.packed, self.bias)
        # TF-IDF values become integers (x SCALE) too, to multiply the packed weights.
        sums = sum(round(v * SCALE) * packed[w] for w, v in x.items() if w in packed)
        unit = 1.0 / (SCALE * SCALE)
        z = [b + f * unit for b, f in zip(bias, unpack(sums, len(bias)), strict=True)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return [v / total for v in e]

    def strays(self, slug: str, x: dict[str, float]) -> float:
        words, mean, sd = self.centroids[slug]
        return (sum(v * words.get(w, 0.0) for w, v in x.items()) - mean) / sd

    def contrast_score(self, x: dict[str, float], kind: str) -> float:
        bias, weights = self.contrast[kind]
        return self.contrast_bias + bias + sum(v * weights.get(w, 0.0) for w, v in x.items())

    def without_own_words(self, slug: str, x: dict[str, float]) -> dict[str, float]:
        own = self.own_words[slug]
        return _unit({w: v for w, v in x.items() if w not in own})

    def relevance(self, slug: str, answer: str) -> Relevance:
        x = self.vector(answer)
        index = self.questions.index(slug)
        probabilities = self.probabilities(x)
        p = probabilities[index]
        p_rest = self.probabilities(self.without_own_words(slug, x), rest=True)[index]
        best = max(range(len(probabilities)), key=probabilities.__getitem__)
        strays = self.strays(slug, x)
        a, b, c, d, bias = self.combine
        contrast = self.contrast_score(x, self.kinds[slug])
        off = _sigmoid(a * logit(p) + b * strays + c * contrast + d * logit(p_rest) + bias)
        return Relevance(off, p, p_rest, strays, self.questions[best])


@cache
def relevance_model() -> RelevanceModel | None:
    try:
        data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return RelevanceModel(
        questions=tuple(data["questions"]),
        asks=dict(data["asks"]),
        bias=tuple(data["bias"]),
        idf=dict(data["idf"]),
        weights=_pairs(data["weights"]),
        centroids={
            q: (c["words"], c["mean"], c["sd"] or 1.0) for q, c in data["centroids"].items()
        },
        kinds=dict(data["kinds"]),
        contrast={
            kind: (c["bias"], dict(c["weights"])) for kind, c in data["contrast"]["kinds"].items()
        },
        contrast_bias=data["contrast"]["bias"],
        rest_bias=tuple(data["rest"]["bias"]),
        rest_weights=_pairs(data["rest"]["weights"]),
        own_words={q: frozenset(words) for q, words in data["rest"]["own_words"].items()},
        combine=tuple(data["combine"]),
    )


def _pairs(weights: dict[str, list]) -> dict[str, tuple[tuple[int, float], ...]]:
    return {w: tuple((i, v) for i, v in pairs) for w, pairs in weights.items()}
