from dataclasses import asdict, replace
from typing import Any

from scoring.advice import advice_for
from scoring.fit import OFF_TOPIC, OFF_TOPIC_CAP, Fit, question_fit
from scoring.followup import (
    CONCRETE_FEATURES,
    FollowUpVerdict,
    fix_features,
    follow_up_rubric,
    verdict_message,
)
from scoring.heuristic.criteria import aspect_for, score_criterion
from scoring.heuristic.detect import Detector, detector_for
from scoring.heuristic.fastre import Doc, FinderSet, finder_set
from scoring.heuristic.features import LABELS
from scoring.heuristic.learned import FINDERS as LEARNED_FINDERS
from scoring.heuristic.learned import (
    LearnedLayer,
    answer_features,
    answer_words,
    sentence_words,
    terms,
)
from scoring.heuristic.learned import load as load_learned
from scoring.heuristic.reading import Reading, base_features, read
from scoring.heuristic.reading import finders as reading_finders
from scoring.heuristic.text import sentences, shorten, word_count
from scoring.types import (
    CriterionResult,
    CriterionSpec,
    Evidence,
    FailureModeFinding,
    FailureModeSpec,
    QuestionSpec,
    RubricSpec,
    ScoreResult,
    pacing_note,
    weighted_overall,
)

# A failure mode's evidence and what was seen (the cues, the missing groups, or the model's
# probability).
Hit = tuple[list[Evidence], dict[str, Any]]
# A rubric's cue patterns by mode, the features its checks read, and every Finder an answer to
# it is read with, run in one pass over the answer's words.
_Plan = tuple[FinderSet, frozenset[str], FinderSet]


class HeuristicScorer:
    name = "heuristic"
    version = "23"

    def __init__(self, *, learned: bool = True) -> None:
        # learned=False scores with the rules alone (how the learned layer is trained).
        self.learned = load_learned() if learned else None
        # Specs are frozen, so what we compile for one stays valid while we hold the spec.
        self._detectors: dict[int, tuple[FailureModeSpec, Detector]] = {}
        self._plans: dict[int, tuple[RubricSpec, _Plan]] = {}

    def _detector(self, spec: FailureModeSpec) -> Detector:
        cached = self._detectors.get(id(spec))
        if cached and cached[0] is spec:
            return cached[1]
        if len(self._detectors) > 512:
            self._detectors.clear()
        detector = detector_for(spec)
        self._detectors[id(spec)] = (spec, detector)
        return detector

    def _plan(self, rubric: RubricSpec) -> _Plan:
        """What reading an answer to this rubric takes (see _Plan), worked out once."""
        cached = self._plans.get(id(rubric))
        if cached and cached[0] is rubric:
            return cached[1]
        if len(self._plans) > 64:
            self._plans.clear()
        finders = {}
        wanted: set[str] = set()
        for spec in rubric.failure_modes:
            detector = self._detector(spec)
            if detector.cues is not None:
                finders[spec.key] = detector.cues
            wanted.update(detector.features())
        for criterion in rubric.criteria:
            wanted.update(aspect_for(criterion).credit)
        needed = base_features(wanted)
        everything = dict.fromkeys([*finders.values(), *reading_finders(needed), *LEARNED_FINDERS])
        one_pass = finder_set({str(i): f for i, f in enumerate(everything)})
        plan = (finder_set(finders), needed, one_pass)
        self._plans[id(rubric)] = (rubric, plan)
        return plan

    def rules(
        self, rubric: RubricSpec, question: QuestionSpec, answer: str
    ) -> tuple[Reading, int, dict[str, Hit]]:
        """The rules' reading of an answer: what it shows, its length in words, and the failure
        modes their signals find, each with its evidence and what was seen."""
        cue_set, needed, one_pass = self._plan(rubric)
        prompt = f"{question.prompt}\n{question.context}"
        sents = sentences(answer)
        doc = Doc(answer)
        one_pass.finditer(doc)
        reading = read(answer, sents, needed, prompt, doc)
        words = word_count(answer)
        hits: dict[str, Hit] = {}
        if sents:
            cue_matches = cue_set.finditer(reading.doc)
            reading.cues = cue_matches
            for spec in rubric.failure_modes:
                hit = self._detector(spec).find(
                    reading,
                    question.kind,
                    prompt,
                    words,
                    cue_matches.get(spec.key, []),
                    question.prompt,
                )
                if hit is not None:
                    hits[spec.key] = hit
        return reading, words, hits

    @staticmethod
    def _learned(
        layer: LearnedLayer,
        rubric: RubricSpec,
        question: QuestionSpec,
        reading: Reading,
        words: int,
        hits: dict[str, Hit],
    ) -> tuple[dict[str, Hit], dict[str, float]]:
        """The rules' findings after the learned layer (learned.py): some added, some vetoed;
        with each modelled mode's probability."""
        found = set(hits)
        seen = terms(answer_words(reading), layer.pairs)
        seen.update(answer_features(reading, question.kind, words, found))
        verdicts = layer.judge([m.key for m in rubric.failure_modes], question.kind, found, seen)
        out = dict(hits)
        by_sentence: list[list[str]] | None = None  # read once, if the model alone finds a mode
        for verdict in verdicts:
            if not verdict.found:
                out.pop(verdict.key, None)
            elif verdict.key not in out:
                if by_sentence is None:
                    by_sentence = sentence_words(reading)
                # Where the mode's cues matched, the quote comes from one of those sentences.
                cued = {
                    reading.sentence_index(m.start()) for m in reading.cues.get(verdict.key, ())
                }
                n = layer.best_sentence(verdict.key, by_sentence, cued)
                s = reading.sentences[n]
                out[verdict.key] = (
                    [Evidence(s.start, s.end, s.text)],
                    {"learned": round(verdict.probability, 3)},
                )
        return out, {v.key: round(v.probability, 3) for v in verdicts}

    def score(
        self,
        rubric: RubricSpec,
        question: QuestionSpec,
        answer: str,
        *,
        time_used_seconds: int | None = None,
    ) -> ScoreResult:
        if question.is_follow_up:
            return self._score_follow_up(rubric, question, answer, time_used_seconds)
        reading, words, hits = self.rules(rubric, question, answer)
        learned: dict[str, float] = {}
        if self.learned is not None and words >= self.learned.min_words:
            hits, learned = self._learned(self.learned, rubric, question, reading, words, hits)
        findings = [
            FailureModeFinding(
                key=spec.key,
                title=spec.title,
                evidence=hits[spec.key][0],
                advice=advice_for(
                    spec,
                    hits[spec.key][0],
                    hits[spec.key][1],
                    question,
                    _sentence(reading, hits[spec.key][0]),
                ),
            )
            for spec in rubric.failure_modes
            if spec.key in hits
        ]

        fit = question_fit(question, answer)
        reading = _without_contradicted_credit(reading, findings)
        found = [spec for spec in rubric.failure_modes if spec.key in hits]
        criteria = []
        scores: dict[str, int] = {}
        for criterion in rubric.criteria:
            value, rationale = score_criterion(criterion, reading, found, words, None)
            value, rationale = _fitted(value, rationale, fit)
            scores[criterion.key] = value
            criteria.append(
                CriterionResult(
                    key=criterion.key,
                    label=criterion.label,
                    score=value,
                    rationale=rationale,
                    evidence=[] if fit.off_topic else _credit(criterion, reading),
                )
            )

        overall = _overall(
            weighted_overall(rubric, scores) if rubric.criteria else 1.0, findings, fit
        )
        return ScoreResult(
            scorer=self.name,
            version=self.version,
            summary=_why_low(overall, criteria, findings, fit),
            overall=overall,
            criteria=criteria,
            failure_modes=findings,
            pacing=pacing_note(time_used_seconds, question.time_limit_seconds),
            fit=asdict(fit) | {"message": fit.message()},
            raw={
                "words": words,
                "features": sorted(k for k, v in reading.spans.items() if v),
                "seen": {key: seen for key, (_, seen) in hits.items()},
                "learned": learned,
            },
        )

    def _score_follow_up(
        self,
        rubric: RubricSpec,
        question: QuestionSpec,
        answer: str,
        time_used_seconds: int | None,
    ) -> ScoreResult:
        """Did the follow-up resolve the weakness its probe targeted? (scoring/followup.py)"""
        spec = next((m for m in rubric.failure_modes if m.key == question.probe_failure_mode), None)
        fixes = fix_features(spec)
        detector = self._detector(spec) if spec else None
        wanted = set(fixes) | set(CONCRETE_FEATURES) | (detector.features() if detector else set())
        sents = sentences(answer)
        reading = read(answer, sents, base_features(wanted))
        words = word_count(answer)
        # Absence rules read the main question (what kind of situation it is) and the probe.
        prompt = f"{question.follow_up_of}\n{question.context}\n{question.prompt}"
        still = None
        if spec is not None and detector is not None and sents:
            cues = []
            if detector.cues is not None:
                cues = detector.cues.finditer(reading.doc)
            still = detector.find(
                reading, question.kind, prompt, words, cues, question.follow_up_of
            )
        shown = [f for f in fixes if reading.has(f)]
        # Probes are short and generic ("How would you know it worked?"): fit is read against
        # the main question and the probe together.
        probe_fit = question_fit(
            QuestionSpec(
                question.kind,
                f"{question.follow_up_of} {question.prompt}",
                context=question.context,
            ),
            answer,
        )
        if not sents or (probe_fit.off_topic and not shown):
            verdict = "off_probe"
        elif not fixes:  # a general probe: answering it directly is what counts
            verdict = "fixed" if words >= 25 else "not_fixed"
        elif shown and still is None:
            verdict = "fixed"
        elif shown:
            verdict = "partly"
        else:
            verdict = "not_fixed"
        quote = ""
        if shown and reading.spans[shown[0]]:
            quote = shorten(reading.sentence_for(reading.spans[shown[0]][0][0]).text)
        title = spec.title if spec else ""
        shown_label = LABELS.get(shown[0], shown[0]) if shown else "a direct answer"
        rewrite = spec.good_rewrite if spec and verdict != "fixed" else ""
        result = FollowUpVerdict(
            probed=spec.key if spec else "",
            probed_title=title,
            verdict=verdict,
            message=verdict_message(verdict, title, shown_label, quote, rewrite),
            shown=shown,
            quote=quote,
        )
        concrete = [f for f in CONCRETE_FEATURES if reading.has(f)]
        resolves = result.resolves + (1 if verdict == "fixed" and concrete else 0)
        specific = 1 if verdict == "off_probe" else min(5, 2 + len(concrete) + (words >= 40))
        if verdict in ("not_fixed", "off_probe"):
            specific = min(specific, 2)
        small = follow_up_rubric(rubric)
        criteria = [
            CriterionResult(
                small.criteria[0].key, small.criteria[0].label, resolves, _resolves_note(result)
            ),
            CriterionResult(
                small.criteria[1].key,
                small.criteria[1].label,
                specific,
                "Shows " + ", ".join(LABELS[f] for f in concrete) + "."
                if concrete
                else "No number, segment or decision rule in the answer.",
            ),
        ]
        overall = weighted_overall(small, {c.key: c.score for c in criteria})
        if verdict == "fixed":
            overall = max(4.0, overall)
        elif verdict in ("not_fixed", "off_probe"):
            overall = min(2.0, overall)
        findings = []
        if still is not None and spec is not None:
            evidence, seen = still
            findings.append(
                FailureModeFinding(
                    spec.key,
                    spec.title,
                    evidence,
                    advice_for(spec, evidence, seen, question, _sentence(reading, evidence)),
                )
            )
        return ScoreResult(
            scorer=self.name,
            version=self.version,
            overall=overall,
            criteria=criteria,
            failure_modes=findings,
            pacing=pacing_note(time_used_seconds, question.time_limit_seconds),
            raw={"words": words, "follow_up": asdict(result), "shown": shown},
        )


def _credit(criterion: CriterionSpec, reading: Reading) -> list[Evidence]:
    """The passages the criterion's credit came from: each credited feature's spans, in order."""
    spans = {span for name in aspect_for(criterion).credit for span in reading.spans.get(name, [])}
    return [Evidence(start, end, reading.text[start:end]) for start, end in sorted(spans)]


def _resolves_note(verdict: FollowUpVerdict) -> str:
    """The criterion's short line; the verdict's full message leads the feedback."""
    shown = LABELS.get(verdict.shown[0], verdict.shown[0]) if verdict.shown else ""
    if verdict.verdict == "fixed":
        return f"Now gives {shown}." if shown else "Answers the probe directly."
    if verdict.verdict == "partly":
        return f"Gives {shown}, but still shows {verdict.probed_title.lower()}."
    if verdict.verdict == "off_probe":
        return "Does not answer the probe."
    return f"Still lacks what the probe asked for ({verdict.probed_title.lower()})."


def _why_low(overall: float, criteria: list[CriterionResult], findings: list, fit: Fit) -> str:
    """A low score always comes with a concrete reason: the weakest criteria, when no finding
    or question-fit message already gives one."""
    if overall >= 3 or findings or fit.message() or not criteria:
        return ""
    weakest = sorted(criteria, key=lambda c: c.score)[:2]
    reasons = "; ".join(f"{c.label}: {c.rationale.rstrip('.')}" for c in weakest)
    return f"Why this score: {reasons}."


def _sentence(reading: Reading, evidence: list) -> str:
    return reading.sentence_for(evidence[0].start).text if evidence else ""


# Features that would credit what a failure mode found says is missing or wrong. A criterion
# never credits them where the finding's evidence is ("Shows a leading indicator" for "a huge
# spike in downloads in the first week"), nor anywhere once an absence was found ("shows a user
# need" beside "no user in the answer").
CONTRADICTS: dict[str, tuple[str, ...]] = {
    "vanity_metrics": ("leading_indicator", "outcome_metric", "outcome_measured", "threshold"),
    "lagging_only": ("leading_indicator",),
    "no_user_focus": ("user_focus", "user_segment", "pain_point"),
    "premature_scaling": ("staging",),
    "no_prioritization": ("prioritization",),
    "no_recommendation": ("recommendation", "commitment"),
    "no_measurement_plan": ("measurement", "threshold", "control", "baseline"),
    "no_diagnosis": ("diagnosis", "diag_segment", "diag_data", "diag_cause"),
    "vague_result": ("quantified_result",),
}


def _without_contradicted_credit(reading: Reading, findings: list[FailureModeFinding]) -> Reading:
    spans = reading.spans
    changed = False
    for finding in findings:
        absence = len(finding.evidence) == 1 and _whole_sentence(reading, finding.evidence[0])
        # The sentences the finding quotes from: credit found there is the failure itself.
        around = [reading.sentence_for(ev.start) for ev in finding.evidence]
        for name in CONTRADICTS.get(finding.key, ()):
            kept = [
                (s, e)
                for s, e in spans.get(name, [])
                if not absence and not any(s < a.end and a.start < e for a in around)
            ]
            if name in spans and kept != spans[name]:
                if not changed:
                    spans, changed = dict(spans), True
                spans[name] = kept
    return replace(reading, spans=spans) if changed else reading


def _whole_sentence(reading: Reading, evidence) -> bool:
    """An absence finding quotes a whole sentence; a cue finding quotes the cue."""
    sentence = reading.sentence_for(evidence.start)
    return sentence.start == evidence.start and sentence.end == evidence.end


# The overall grade (shared/LABELING.md) as interviewers give it: no failure mode is a strong
# answer, one clear weakness a good one, two or three mixed, more a weak one.
GRADE_BY_FINDINGS = (5.0, 4.0, 2.75, 2.0)
# Using the question's own context is what separates a strong answer from a generic one: full
# marks at half the question's (rarity-weighted) terms.
CONTEXT_FULL = 0.5
# Interviewers' grades spread wider than a mean of three parts: stretch around a good answer.
SPREAD, CENTRE = 1.5, 4.2
# However weak, an answer about the question ranks above one that is not (shared/LABELING.md:
# grade 2 against grade 1), so it never falls to an off-topic answer's scores.
ON_TOPIC_FLOOR = OFF_TOPIC_CAP + 0.1


def _overall(criteria_mean: float, findings: list[FailureModeFinding], fit: Fit) -> float:
    """Criteria, findings and use of the question's context, equally weighted, then spread;
    never above the cap for an answer that does not (fully) address the question."""
    if fit.off_topic:
        # 1.0 to 1.5 by how much of the question it touches and how likely it is to answer it:
        # a generic answer that names the question's subject stays above one about another
        # question altogether, and an answer only just judged off topic above a sure one.
        touches = min(1.0, fit.coverage / OFF_TOPIC)
        if fit.p_off_topic is not None:
            touches *= 1.0 - fit.p_off_topic
        return round(1.0 + (fit.cap - 1.0) * touches, 2)
    # Finding nothing wrong, or echoing the question's words, is worth little in an answer that
    # shows little: neither part may stand more than two points above the criteria.
    by_findings = GRADE_BY_FINDINGS[min(len(findings), len(GRADE_BY_FINDINGS) - 1)]
    by_findings = min(by_findings, criteria_mean + 2)
    context = min(1 + 4 * min(1.0, fit.coverage / CONTEXT_FULL), criteria_mean + 2)
    mean = (criteria_mean + by_findings + context) / 3
    spread = CENTRE + SPREAD * (mean - CENTRE)
    return round(min(fit.cap, max(ON_TOPIC_FLOOR, min(5.0, spread))), 2)


def _fitted(score: int, rationale: str, fit: Fit) -> tuple[int, str]:
    """A criterion cannot be met by an answer to another question: its score follows the fit."""
    if fit.off_topic:
        return 1, "Not scored on its own: the answer does not address the question asked."
    if fit.verdict == "partly" and score > 3:
        return 3, rationale.rstrip(".") + "; but the answer engages little with the question."
    return score, rationale
