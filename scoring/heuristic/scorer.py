from scoring.advice import advice_for
from scoring.heuristic.criteria import aspect_for, score_criterion
from scoring.heuristic.detect import Detector, detector_for
from scoring.heuristic.fastre import FinderSet, finder_set
from scoring.heuristic.reading import base_features, read
from scoring.heuristic.text import sentences, word_count
from scoring.types import (
    CriterionResult,
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

    def __init__(self) -> None:
        # Specs are frozen, so what we compile for one stays valid while we hold the spec.
        self._detectors: dict[int, tuple[FailureModeSpec, Detector]] = {}
        self._plans: dict[int, tuple[RubricSpec, tuple[FinderSet, frozenset[str]]]] = {}

    def _detector(self, spec: FailureModeSpec) -> Detector:
        cached = self._detectors.get(id(spec))
        if cached and cached[0] is spec:
            return cached[1]
        if len(self._detectors) > 512:
            self._detectors.clear()
        detector = detector_for(spec)
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
        plan = (finder_set(finders), base_features(wanted))
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
        reading = read(answer, sents, needed, f"{question.prompt}\n{question.context}")
        words = word_count(answer)
        prompt = f"{question.prompt}\n{question.context}"

        findings: list[FailureModeFinding] = []
        seen_by_key: dict[str, dict] = {}
        if sents:
            cue_matches = cue_set.finditer(reading.doc)
            for spec in rubric.failure_modes:
                hit = self._detector(spec).find(
                    reading, question.kind, prompt, words, cue_matches.get(spec.key, [])
                )
                if hit is None:
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
                "features": sorted(k for k, v in reading.spans.items() if v),
                "seen": seen_by_key,
            },
        )
