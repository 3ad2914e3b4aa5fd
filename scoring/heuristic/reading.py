"""Reading an answer: which features it shows, where, after negation and hedging."""

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from scoring.heuristic.fastre import Doc, Finder, FinderSet
from scoring.heuristic.features import _NUM, _PEOPLE, BY_NAME, FEATURES, Feature
from scoring.heuristic.text import SCOPE_FINDERS, Scope, Sentence

_I = re.IGNORECASE

# Features worked out from others in read(), with what each is worked out from.
DERIVED: dict[str, tuple[str, ...]] = {
    "diagnosis": ("diag_segment", "diag_data", "diag_cause"),
    "first_person": ("first_person_action", "we"),
    "measurement": ("threshold", "control", "baseline", "outcome_metric", "metric_word"),
    "outcome_measured": ("outcome_metric",),
    "tech_centric": ("tech", "user_segment", "pain_point"),
    "user_focus": ("tech", "user_segment", "pain_point", "business_case"),
}
BUSINESS_MIN = 2
_SETS: dict[frozenset[str], tuple[tuple[Feature, ...], FinderSet]] = {}


def base_features(names: Iterable[str]) -> frozenset[str]:
    """The pattern features needed to know these features (derived ones expanded)."""
    out: set[str] = set()
    for name in names:
        if name in DERIVED:
            out.update(DERIVED[name])
        elif name in BY_NAME:
            out.add(name)
        else:
            raise KeyError(f"unknown feature {name!r}")
    return frozenset(out)


def finders(needed: frozenset[str] | None) -> tuple[Finder, ...]:
    """The Finders read() runs for these pattern features (and Scope for clause breaks)."""
    return (*(f.finder for f in _finders(needed)[0]), *SCOPE_FINDERS)


def _finders(needed: frozenset[str] | None) -> tuple[tuple[Feature, ...], FinderSet]:
    key = needed if needed is not None else frozenset(BY_NAME)
    if key not in _SETS:
        features = tuple(f for f in FEATURES if f.name in key)
        _SETS[key] = (features, FinderSet({f.name: f.finder for f in features}))
    return _SETS[key]


_MEASURE_CONTEXT = BY_NAME["measure_context"].finder

# People named as a channel rather than as the users served: "the fifty biggest creators".
_CHANNEL = re.compile(
    r"\b(?:biggest|big|top|major|famous|well-known|leading|celebrity|popular|star|mega|macro|"
    r"influential|every|all|each|any)\s+(?:\w+\s+)?$",
    _I,
)
_HYPOTHESIS_QUESTION = re.compile(
    r"(?:was|were|did|is|are|has|have|does|do|could)\b[^?]{3,}\?$", _I
)
_HEDGE = re.compile(
    r"\b(?:could|might|maybe|perhaps|i guess|of some kind|sort of|kind of|possibly|in passing|"
    r"see how (?:it goes|people like it|it performs|the market reacts|things go))\b",
    _I,
)


# Where a number sets a bar: a success or measure word, a condition, a comparison or a change.
_JUDGING = Finder(
    # "if" as a condition, not an embedded question ("see if", "no idea if").
    r"(?<!see )(?<!check )(?<!know )(?<!ask )(?<!test )(?<!idea )(?<!whether )\bif\b|"
    r"\bunless\b|\bonce\b|\bexpect\w*|\bshould\b|\bneeds? to\b|\bat (?:least|most)\b|"
    r"\b(?:more|less|fewer|higher|lower|better|worse) than\b|\bbeats?\b|\bclears?\b|\bhits?\b|"
    r"\bgrow\w*|\bincreas\w*|\bdecreas\w*|\blift\w*|\bimprov\w*|\braise\w*|\bdrop\w*|\bfell\b|"
    r"\brose\b|\bwithin\b|\bby \d|\bfrom \S+ to\b|\babove\b|\bbelow\b|\bdoubl\w*|\bhalv\w*",
)


_BAR_CONTEXT = FinderSet({"measure": _MEASURE_CONTEXT, "judging": _JUDGING})


# A size that says who, not a bar: "creators under 5k followers", "hosts with 2k to 20k fans".
_SEGMENT_SIZE = re.compile(
    rf"\b(?:{_PEOPLE}|tail|accounts|ones|those|anyone|profiles|channels)\s+(?:with|under|over|"
    r"below|above|between|of|fewer than|more than)\s+"
    rf"(?:about |around |roughly )?\$?{_NUM}(?:\s?(?:to|-|–|and)\s?{_NUM})?\s+"
    r"(?:followers|subscribers|fans|viewers|employees|locations|stores)\b",
    _I,
)


def _judged(reading: "Reading", pos: int, known: dict[int, bool]) -> bool:
    """Whether the number at pos sets a bar (`known` remembers each sentence's context)."""
    sentence = reading.sentence_for(pos)
    if sentence.start not in known:
        found = _BAR_CONTEXT.finditer(reading.sentence_doc(sentence))
        known[sentence.start] = bool(found["measure"] or found["judging"])
    if not known[sentence.start]:
        return False
    for m in _SEGMENT_SIZE.finditer(reading.text, max(sentence.start, pos - 40), pos + 40):
        if m.start() <= pos < m.end():
            return False
    return True


@dataclass
class Reading:
    """What an interviewer noticed in one answer: feature spans and the sentences around them."""

    text: str
    sentences: list[Sentence]
    doc: Doc
    scope: Scope
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    cause_groups: set[str] = field(default_factory=set)
    # failure mode -> its cue patterns' matches, whether or not its rule then fired
    cues: dict[str, list[re.Match[str]]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return bool(self.spans[name])  # KeyError: a feature that was not asked for

    def sentence_for(self, pos: int) -> Sentence:
        return self.sentences[self.sentence_index(pos)]

    def sentence_index(self, pos: int) -> int:
        return max(bisect_right(self._starts, pos) - 1, 0)

    def sentence_doc(self, sentence: Sentence) -> Doc:
        """The sentence read on its own (once: what its Finders found is kept with it)."""
        if sentence.start not in self._docs:
            self._docs[sentence.start] = Doc(sentence.text)
        return self._docs[sentence.start]

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]
        self._docs: dict[int, Doc] = {}


_NUMBER = re.compile(r"\d[\d,.]*")


def read(
    text: str,
    sents: list[Sentence],
    needed: frozenset[str] | None = None,
    prompt: str = "",
    doc: Doc | None = None,
) -> Reading:
    """What the answer shows; only the `needed` pattern features (see base_features), or all.
    `doc`: the answer's Doc, if a pass over it already ran these features' Finders."""
    doc = doc or Doc(text)
    reading = Reading(text, sents, doc, Scope(text, doc))
    features, finders = _finders(needed)
    if not sents:
        empty: list[tuple[int, int]] = []
        reading.spans = {f.name: list(empty) for f in features} | {n: list(empty) for n in DERIVED}
        return reading
    hedged: dict[int, bool] = {}
    matches = finders.finditer(doc)
    for feature in features:
        found: list[tuple[int, int]] = []
        for m in matches[feature.name]:
            s, e = m.span()
            sentence = reading.sentence_for(s)
            if feature.negatable and reading.scope.negated(sentence, s, e, strict=True):
                continue
            if feature.hedgeable:
                if sentence.start not in hedged:
                    hedged[sentence.start] = bool(_HEDGE.search(sentence.text))
                if hedged[sentence.start]:
                    continue
            if feature.name == "user_segment" and _CHANNEL.search(text, max(0, s - 25), s):
                continue
            if feature.name == "diag_cause":
                reading.cause_groups.add(m.lastgroup or "")
            found.append((s, e))
            if not feature.counted:
                break
        reading.spans[feature.name] = found
    spans = defaultdict(list, reading.spans)
    # Derived features: a diagnosis needs a segmented or checked look, or at least two rival
    # causes (blaming one cause, however plausible, is what no_diagnosis is about).
    moves = [spans["diag_segment"], spans["diag_data"]]
    if len(reading.cause_groups) >= 2:
        moves.append(spans["diag_cause"])
    # Rival hypotheses put as questions: "Was the timing worse? Did ranking change?"
    asked = [(q.start, q.end) for q in sents if _HYPOTHESIS_QUESTION.match(q.text)]
    if len(asked) >= 2:
        moves.append(asked)
    spans["diagnosis"] = sorted(sum(moves, [])) if sum(map(bool, moves)) >= 2 else []
    # Personal actions: two or more, or at least half as many "I did" as "we"/"our" mentions.
    actions = spans["first_person_action"]
    personal = len(actions) >= 2 or (actions and 2 * len(actions) >= len(spans["we"]))
    spans["first_person"] = actions if personal else []
    # A number is a threshold only where something is judged by it: "30k followers" or "$2M
    # budget" describe a segment or a cost, "at least 20% more" or "success is 5%" set a bar.
    judged: dict[int, bool] = {}
    spans["threshold"] = [t for t in spans["threshold"] if _judged(reading, t[0], judged)]
    # A figure restated from the question describes the situation; it sets no bar of its own.
    given = {n.rstrip(".,") for n in _NUMBER.findall(prompt)}
    if given:
        spans["threshold"] = [
            (s, e)
            for s, e in spans["threshold"]
            if not (figure := _NUMBER.match(text, s)) or figure.group().rstrip(".,") not in given
        ]
    # A measurement plan: a threshold, or a comparison (control or baseline) on some metric.
    metric = spans["outcome_metric"] or spans["metric_word"]
    compared = spans["control"] + spans["baseline"] if metric else []
    spans["measurement"] = sorted(spans["threshold"] + compared)
    # Outcome metrics offered as the measure of success, not mentioned in passing.
    measured: dict[int, bool] = {}
    for s, e in spans["outcome_metric"]:
        sentence = reading.sentence_for(s)
        if sentence.start not in measured:
            measured[sentence.start] = bool(
                _MEASURE_CONTEXT.finditer(reading.sentence_doc(sentence))
                and not _HEDGE.search(sentence.text)
            )
        if measured[sentence.start]:
            spans["outcome_measured"] = [(s, e)]
            break
    else:
        spans["outcome_measured"] = []
    # Centred on the technology: many technical terms and few about users.
    user_talk = len(spans["user_segment"]) + len(spans["pain_point"])
    tech = spans["tech"]
    spans["tech_centric"] = tech if len(tech) >= 4 and len(tech) > 2 * user_talk else []
    # Reasons from the business, rivals or regulators with no user's need beside them: a
    # segment named as a market ("creators under 50k, any category") is no user focus.
    business = spans["business_case"]
    business_led = len(business) >= BUSINESS_MIN and not spans["pain_point"]
    led = spans["tech_centric"] or business_led
    spans["user_focus"] = [] if led else spans["user_segment"]
    if led and "user_mention" in spans:
        spans["user_mention"] = []  # "serverless workers" are not the people served
    # Keep what was asked for: has() on anything else is a bug and raises.
    reading.spans = {k: v for k, v in spans.items() if k in DERIVED or k in reading.spans}
    return reading
