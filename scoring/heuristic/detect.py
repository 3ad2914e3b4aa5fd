"""Failure-mode detectors, compiled once from each failure mode's `signals`."""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from scoring.heuristic.fastre import Finder
from scoring.heuristic.reading import Reading
from scoring.heuristic.text import Sentence
from scoring.types import Evidence, FailureModeSpec

_I = re.IGNORECASE
MAX_EVIDENCE = 3

# Sentences that propose something: where a missing plan, metric or user should have been.
_PROPOSAL = re.compile(
    r"\b(?:i|we)(?:[’']d|[’']ll| would| will| should| must| plan to| propose| recommend)\b|"
    r"\blet[’']s\b|\bmy (?:proposal|plan|recommendation)\b|^(?:launch|run|build|partner|create|"
    r"start|use|add|offer|introduce|focus|target|roll|ship|channel)\b|"
    r"^(?:i|we) (?!think|feel|guess|was|were|am|are|had|have|did|do)[a-z]+",
    _I,
)


def _union(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), _I)


@dataclass(frozen=True)
class AbsenceRule:
    kinds: frozenset[str]
    prompt: re.Pattern[str] | None
    not_prompt: re.Pattern[str] | None
    asked: re.Pattern[str] | None  # matched against the question's prompt alone, not its context
    needs: tuple[str, ...]
    requires: tuple[tuple[str, ...], ...]
    min_words: int
    _asks: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def asks(self, prompt: str) -> bool:
        """Whether the prompt is one this rule applies to (remembered: prompts repeat)."""
        known = self._asks.get(prompt)
        if known is None:
            known = not (self.prompt and not self.prompt.search(prompt)) and not (
                self.not_prompt and self.not_prompt.search(prompt)
            )
            if len(self._asks) > 1024:
                self._asks.clear()
            self._asks[prompt] = known
        return known

    def missing(
        self, reading: Reading, kind: str, prompt: str, words: int, asked: str = ""
    ) -> list[str] | None:
        """The required groups this answer lacks, or None when the rule does not apply."""
        if self.kinds and kind not in self.kinds:
            return None
        if words < self.min_words:
            return None
        if not self.asks(prompt):
            return None
        if self.asked and not self.asked.search(asked):
            return None
        if not all(reading.has(n) for n in self.needs):
            return None
        lacking = [g[0] for g in self.requires if not any(reading.has(f) for f in g)]
        return lacking or None


@dataclass(frozen=True)
class Detector:
    spec: FailureModeSpec
    cues: Finder | None
    context: re.Pattern[str] | None
    prompt_context: re.Pattern[str] | None
    cancel: re.Pattern[str] | None
    cancel_before: re.Pattern[str] | None
    scoped: re.Pattern[str] | None
    scope: re.Pattern[str] | None
    not_within: tuple[str, ...]
    remedies: tuple[str, ...]
    final: re.Pattern[str] | None
    absence: tuple[AbsenceRule, ...]
    evidence: str
    evidence_hint: re.Pattern[str] | None
    kept_with: tuple[str, ...] = ()

    def features(self) -> set[str]:
        """The features this detector reads."""
        names = set(self.remedies) | set(self.not_within) | set(self.kept_with)
        for rule in self.absence:
            names.update(rule.needs)
            names.update(f for group in rule.requires for f in group)
        return names

    def cue_spans(
        self,
        reading: Reading,
        matches: list[re.Match[str]] | None = None,
        limit: int = 8,
        prompt: str = "",
    ) -> list[tuple[int, int]]:
        """Cue spans that count; `matches` are the cue pattern's matches if already found."""
        if self.cues is None:
            return []
        if matches is None:
            matches = self.cues.finditer(reading.doc)
        # A question about measuring makes every metric named in the answer a measure.
        context = self.context
        if context and self.prompt_context and self.prompt_context.search(prompt):
            context = None
        spans: list[tuple[int, int]] = []
        for m in matches:
            s, e = m.span()
            sentence = reading.sentence_for(s)
            if reading.scope.negated(sentence, s, e):
                continue
            if context and not context.search(sentence.text):
                continue
            if self.cancel and self.cancel.search(sentence.text):
                continue
            if self.cancel_before and self.cancel_before.search(reading.text, sentence.start, s):
                continue
            if (
                self.scoped
                and self.scoped.fullmatch(reading.text, s, e)
                and not (self.scope and self.scope.search(sentence.text))
            ):
                continue
            if any(a <= s and e <= b for name in self.not_within for a, b in reading.spans[name]):
                continue
            spans.append((s, e))
            if len(spans) >= limit:
                break
        return spans

    def find(
        self,
        reading: Reading,
        kind: str,
        prompt: str,
        words: int,
        matches: list[re.Match[str]] | None = None,
        asked: str = "",
    ) -> tuple[list[Evidence], dict[str, Any]] | None:
        """Evidence that this failure is present, with what was seen, or None. `prompt` is the
        question's prompt and context; `asked`, its prompt alone."""
        text = reading.text
        if self.final:
            # A final cue is cleared only by a remedy after it ("I'd test both... and let the VP
            # pick" ends without a call, however decisive the middle was); other cues by any.
            cues = self.cue_spans(reading, matches, limit=64, prompt=prompt)
            ends = [e for r in self.remedies for _, e in reading.spans[r]]
            if ends:
                last = max(ends)
                cues = [(s, e) for s, e in cues if s > last and self.final.match(text, s, e)]
        elif any(reading.has(r) for r in self.remedies):
            # A remedy elsewhere does not clear a cue in a sentence that also shows one of
            # `kept_with` ("success is 200,000 sign-ups" sets the bar on a vanity count).
            cues = [
                (s, e)
                for s, e in self.cue_spans(reading, matches, prompt=prompt)
                if self.kept_with and self._shows(reading, reading.sentence_for(s), self.kept_with)
            ]
        else:
            cues = self.cue_spans(reading, matches, prompt=prompt)
        if cues:
            evidence = [Evidence(s, e, text[s:e]) for s, e in _merge(cues)[:MAX_EVIDENCE]]
            return evidence, {"cues": [text[s:e] for s, e in cues]}
        for rule in self.absence:
            lacking = rule.missing(reading, kind, prompt, words, asked)
            if lacking:
                sentence = self._absence_sentence(reading)
                evidence = [Evidence(sentence.start, sentence.end, sentence.text)]
                return evidence, {"missing": lacking}
        return None

    @staticmethod
    def _shows(reading: Reading, sentence: Sentence, names: tuple[str, ...]) -> bool:
        return any(sentence.start <= a < sentence.end for n in names for a, _ in reading.spans[n])

    def _absence_sentence(self, reading: Reading) -> Sentence:
        sents = reading.sentences
        ordered = list(reversed(sents)) if self.evidence == "last" else sents
        if self.evidence_hint:
            for s in ordered:
                if self.evidence_hint.search(s.text):
                    return s
        if self.evidence == "proposal":
            for s in sents:
                if _PROPOSAL.search(s.text):
                    return s
        return ordered[0]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Distinct cue spans in order, dropping any that overlap an earlier one."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def compile_detector(spec: FailureModeSpec) -> Detector:
    sig = spec.signals or {}
    cues = [*sig.get("cues", []), *sig.get("scoped_cues", []), *sig.get("final_cues", [])]
    rules = sig.get("absence") or []
    if isinstance(rules, dict):
        rules = [rules]
    return Detector(
        spec=spec,
        cues=Finder("|".join(f"(?:{p})" for p in cues)) if cues else None,
        context=_union(sig.get("context", [])),
        prompt_context=_union(sig.get("prompt_context", [])),
        cancel=_union(sig.get("cancel", [])),
        cancel_before=_union(sig.get("cancel_before", [])),
        scoped=_union(sig.get("scoped_cues", [])),
        scope=_union(sig.get("scope", [])),
        not_within=tuple(sig.get("not_within", [])),
        remedies=tuple(sig.get("remedies", [])),
        final=_union(sig.get("final_cues", [])),
        absence=tuple(
            AbsenceRule(
                kinds=frozenset(r.get("kinds", [])),
                prompt=_union(r.get("prompt", [])),
                not_prompt=_union(r.get("not_prompt", [])),
                asked=_union(r.get("asked", [])),
                needs=tuple(r.get("needs", [])),
                requires=tuple(tuple(g) for g in r.get("requires", [])),
                min_words=int(r.get("min_words", 0)),
            )
            for r in rules
        ),
        evidence=sig.get("evidence", "proposal"),
        evidence_hint=_union(sig.get("evidence_hint", [])),
        kept_with=tuple(sig.get("kept_with", [])),
    )


# Detectors by the content of their spec: every scoring task builds new specs from the
# database, and a worker should compile each failure mode's rules once, not once per answer.
_BY_CONTENT: dict[str, Detector] = {}


def detector_for(spec: FailureModeSpec) -> Detector:
    """The compiled detector for these rules, shared by every spec with the same content."""
    key = json.dumps([spec.key, spec.title, spec.signals], sort_keys=True)
    detector = _BY_CONTENT.get(key)
    if detector is None:
        if len(_BY_CONTENT) > 256:
            _BY_CONTENT.clear()
        detector = _BY_CONTENT[key] = compile_detector(spec)
    return detector
