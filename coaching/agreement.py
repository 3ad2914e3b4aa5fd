"""How far the scorer agrees with coaches: pure functions over plain judgements, no database.

For failure modes the coach is the reference: each (answer, failure mode) pair a coach reviewed
is one judgement, the scorer's verdict against the coach's final one (what the scorer found,
plus what the coach added, minus what the coach removed). For criteria, each score the scorer
gave beside the coach's score for it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Judgement:
    """One failure mode on one answer, as the scorer and a coach saw it."""

    review_id: int
    transcript_id: int  # the main answer: where the transcript page is
    answer_id: int
    failure_mode: str
    scorer: bool
    coach: bool
    reason: str = ""


@dataclass(frozen=True)
class OwnFlag:
    """A flag a coach wrote in their own words: no failure mode, so no judgement of the
    scorer; counted beside the figures, never inside them."""

    review_id: int
    transcript_id: int
    answer_id: int
    title: str
    reason: str


@dataclass(frozen=True)
class ScorePair:
    review_id: int
    transcript_id: int
    answer_id: int
    criterion: str
    label: str
    scorer: int
    coach: int


@dataclass(frozen=True)
class ModeAgreement:
    failure_mode: str
    tp: int  # both found it
    fp: int  # the scorer found it, the coach did not
    fn: int  # the coach found it, the scorer did not
    tn: int  # neither found it
    precision: float | None
    recall: float | None
    kappa: float | None

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


@dataclass(frozen=True)
class CriterionAgreement:
    criterion: str
    label: str
    n: int
    mean_absolute_difference: float
    changed: int  # scores the coach changed


@dataclass(frozen=True)
class Disagreement:
    transcript_id: int
    answer_id: int
    review_id: int
    what: str  # "failure_mode" or "criterion"
    key: str
    label: str
    scorer: str
    coach: str
    reason: str = ""


def judgements(
    *,
    review_id: int,
    transcript_id: int,
    answer_id: int,
    universe: Iterable[str],
    scorer: Iterable[str],
    added: dict[str, str],
    removed: dict[str, str],
) -> list[Judgement]:
    """Judgements for one reviewed answer: `universe` is every failure mode that could apply
    (the rubric's), `scorer` what the scorer found, `added`/`removed` the coach's changes with
    their reasons."""
    found = set(scorer)
    final = (found | set(added)) - set(removed)
    keys = sorted(set(universe) | found | set(added))
    return [
        Judgement(
            review_id=review_id,
            transcript_id=transcript_id,
            answer_id=answer_id,
            failure_mode=key,
            scorer=key in found,
            coach=key in final,
            reason=added.get(key) or removed.get(key) or "",
        )
        for key in keys
    ]


def precision(tp: int, fp: int) -> float | None:
    """Of what the scorer found, the share coaches agreed with; None when it found nothing."""
    return tp / (tp + fp) if tp + fp else None


def recall(tp: int, fn: int) -> float | None:
    """Of what coaches found, the share the scorer found too; None when coaches found nothing."""
    return tp / (tp + fn) if tp + fn else None


def cohen_kappa(tp: int, fp: int, fn: int, tn: int) -> float | None:
    """Agreement beyond chance between two raters saying yes or no.

    None when it is undefined: no judgements, or both raters gave one answer throughout
    (chance agreement is then 1).
    """
    n = tp + fp + fn + tn
    if not n:
        return None
    observed = (tp + tn) / n
    scorer_yes, coach_yes = (tp + fp) / n, (tp + fn) / n
    chance = scorer_yes * coach_yes + (1 - scorer_yes) * (1 - coach_yes)
    if chance >= 1:
        return None
    return (observed - chance) / (1 - chance)


def mode_agreement(items: Iterable[Judgement]) -> list[ModeAgreement]:
    cell = {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for j in items:
        counts[j.failure_mode][cell[(j.scorer, j.coach)]] += 1
    return [
        ModeAgreement(
            failure_mode=key,
            tp=tp,
            fp=fp,
            fn=fn,
            tn=tn,
            precision=precision(tp, fp),
            recall=recall(tp, fn),
            kappa=cohen_kappa(tp, fp, fn, tn),
        )
        for key, (tp, fp, fn, tn) in sorted(counts.items())
    ]


def criterion_agreement(pairs: Iterable[ScorePair]) -> list[CriterionAgreement]:
    by_key: dict[str, list[ScorePair]] = defaultdict(list)
    for pair in pairs:
        by_key[pair.criterion].append(pair)
    return [
        CriterionAgreement(
            criterion=key,
            label=rows[0].label,
            n=len(rows),
            mean_absolute_difference=sum(abs(p.scorer - p.coach) for p in rows) / len(rows),
            changed=sum(p.scorer != p.coach for p in rows),
        )
        for key, rows in sorted(by_key.items())
    ]


def disagreements(
    items: Iterable[Judgement], pairs: Iterable[ScorePair], titles: dict[str, str]
) -> list[Disagreement]:
    """Every place the scorer and a coach parted, failure modes first."""
    found = [
        Disagreement(
            transcript_id=j.transcript_id,
            answer_id=j.answer_id,
            review_id=j.review_id,
            what="failure_mode",
            key=j.failure_mode,
            label=titles.get(j.failure_mode, j.failure_mode),
            scorer="found" if j.scorer else "not found",
            coach="found" if j.coach else "not found",
            reason=j.reason,
        )
        for j in items
        if j.scorer != j.coach
    ]
    scored = [
        Disagreement(
            transcript_id=p.transcript_id,
            answer_id=p.answer_id,
            review_id=p.review_id,
            what="criterion",
            key=p.criterion,
            label=p.label,
            scorer=str(p.scorer),
            coach=str(p.coach),
        )
        for p in pairs
        if p.scorer != p.coach
    ]
    return found + scored
