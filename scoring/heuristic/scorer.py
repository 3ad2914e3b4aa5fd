from scoring.advice import advice_for
from scoring.heuristic.criteria import aspect_for, score_criterion
from scoring.heuristic.detect import Detector, compile_detector
from scoring.heuristic.fastre import FinderSet
from scoring.heuristic.learned import Decision, Model, answer_features, load, present, words_of
from scoring.heuristic.reading import base_features, read
from scoring.heuristic.text import sentences, word_count
from scoring.types import (
    CriterionResult,
    Evidence,
    FailureModeFinding,
    FailureModeSpec,
    QuestionSpec,
    RubricSpec,
    ScoreResult,
    weighted_overall,
)


class HeuristicScorer:
    name = "heuristic"
    version = "7"

    def __init__(self, decisions: dict[str, Decision] | None = None) -> None:
        # The learned decision per failure mode (learned.py); {} lets the rules alone decide.
        self.model = Model(load() if decisions is None else decisions)
        # Specs are frozen, so what we compile for one stays valid while we hold the spec.
        self._detectors: dict[int, tuple[FailureModeSpec, Detector]] = {}
        self._plans: dict[int, tuple[RubricSpec, tuple[FinderSet, frozenset[str]]]] = {}

    def _detector(self, spec: FailureModeSpec) -> Detector:
        cached = self._detectors.get(id(spec))
        if cached and cached[0] is spec:
            return cached[1]
        if len(self._detectors) > 512:
            self._detectors.clear()
        detector = compile_detector(spec)
        self._detectors[id(spec)] = (spec, detector)
        return detector

    def _plan(self, rubric: RubricSpec) -> tuple[FinderSet, frozenset[str]]:
        """The rubric's cue patterns (run in one pass) and the features its checks read."""
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
        plan = (FinderSet(finders), base_features(wanted))
        self._plans[id(rubric)] = (rubric, plan)
        return plan

    def score(
        self,
        rubric: RubricSpec,
        question: QuestionSpec,
        answer: str,
        *,
        time_used_seconds: int | None = None,
    ) -> ScoreResult:
        cue_set, needed = self._plan(rubric)
        sents = sentences(answer)
        reading = read(answer, sents, needed)
        words = word_count(answer)
        prompt = f"{question.prompt}\n{question.context}"

        findings: list[FailureModeFinding] = []
        seen_by_key: dict[str, dict] = {}
        rules: dict[str, str] = {}
        margins: dict[str, float] = {}
        features = sorted(k for k, v in reading.spans.items() if v)
        if sents:
            cue_matches = cue_set.finditer(reading.doc)
            hits = {}
            for spec in rubric.failure_modes:
                hit = self._detector(spec).find(
                    reading, question.kind, prompt, words, cue_matches.get(spec.key, [])
                )
                hits[spec.key] = hit
                if hit is not None:
                    rules[spec.key] = "cue" if "cues" in hit[1] else "absence"
            learned = [k for k in hits if self.model.applies(k, rubric.slug)]
            if learned:
                margins = self.model.margins(
                    learned,
                    words_of(answer),
                    answer_features(question.kind, words, features),
                    rules,
                )
            for spec in rubric.failure_modes:
                hit = hits[spec.key]
                if spec.key in margins:
                    if not present(margins[spec.key], hit is not None, words):
                        continue
                    if hit is None:
                        # Found by the model where no cue or absence rule fired: quote the
                        # sentence an absence finding would.
                        sentence = self._detector(spec).absence_sentence(reading)
                        evidence = [Evidence(sentence.start, sentence.end, sentence.text)]
                        hit = (evidence, {"missing": []})
                elif hit is None:
                    continue
                evidence, seen = hit
                seen_by_key[spec.key] = seen
                findings.append(
                    FailureModeFinding(
                        key=spec.key,
                        title=spec.title,
                        evidence=evidence,
                        advice=advice_for(spec, evidence, seen),
                    )
                )

        time_fraction = None
        if time_used_seconds is not None and question.time_limit_seconds:
            time_fraction = time_used_seconds / question.time_limit_seconds
        found = {f.key: f.title for f in findings}
        criteria = []
        scores: dict[str, int] = {}
        for criterion in rubric.criteria:
            value, rationale = score_criterion(criterion, reading, found, words, time_fraction)
            scores[criterion.key] = value
            criteria.append(
                CriterionResult(
                    key=criterion.key, label=criterion.label, score=value, rationale=rationale
                )
            )

        return ScoreResult(
            scorer=self.name,
            version=self.version,
            overall=weighted_overall(rubric, scores) if rubric.criteria else 1.0,
            criteria=criteria,
            failure_modes=findings,
            raw={
                "words": words,
                "features": features,
                "seen": seen_by_key,
                "rules": rules,
                "margins": {k: round(v, 3) for k, v in margins.items()},
            },
        )
