"""The interviewer's follow-up: a quick scoring pass over the main answer picks the probe."""

import dataclasses
import logging

from django.db import transaction

from questions.models import Question
from questions.specs import specs_for_question
from rounds.models import FOLLOW_UP_SECONDS, Answer
from rubrics.models import FailureMode
from scoring.registry import get_scorer

logger = logging.getLogger(__name__)

# The fast, pure scorer whose findings pick the follow-up probe while the candidate waits.
QUICK_SCORER = "heuristic"
DEFAULT_PROBE = "What is the biggest risk in your answer, and how would you find out early?"


@dataclasses.dataclass(frozen=True)
class ProbeChoice:
    text: str
    failure_mode: str | None  # the failure mode that led to it, if any


def quick_failure_modes(answer: Answer) -> list[str]:
    """Failure-mode keys the quick heuristic pass finds in the answer, most salient first."""
    try:
        rubric, question = specs_for_question(answer.question, prompt=answer.prompt)
        result = get_scorer(QUICK_SCORER).score(
            rubric, question, answer.text, time_used_seconds=answer.time_used_seconds
        )
    except Exception:
        # The follow-up must not cost the candidate their submission: ask a general probe.
        logger.exception("quick pass failed on answer %s", answer.pk)
        return []
    return [finding.key for finding in result.failure_modes]


def choose_probe(question: Question, failure_mode_keys: list[str]) -> ProbeChoice:
    """The interviewer's follow-up for an answer showing these failure modes.

    The failure modes are taken in the order of their own `probe_priority` (first what leaves
    the question unanswered or the plan unsafe, then what leaves it unproven, then the rest).
    A probe written for this question and one of them comes first; then the failure mode's own
    follow-up ("How would you know it worked?"); with no failure mode, the question's general
    probe.
    """
    modes = {
        key: (priority, follow_up)
        for key, priority, follow_up in FailureMode.objects.filter(
            key__in=failure_mode_keys
        ).values_list("key", "probe_priority", "follow_up")
    }
    failure_mode_keys = sorted(modes, key=lambda k: (modes[k][0], k))
    probes = list(question.probes.select_related("failure_mode").order_by("order"))
    for key in failure_mode_keys:
        for probe in probes:
            if probe.failure_mode and probe.failure_mode.key == key:
                return ProbeChoice(probe.text, key)
    for key in failure_mode_keys:
        if modes[key][1]:
            return ProbeChoice(modes[key][1], key)
    general = [probe for probe in probes if probe.failure_mode is None] or probes
    if general:
        return ProbeChoice(general[0].text, None)
    return ProbeChoice(DEFAULT_PROBE, None)


@transaction.atomic
def create_follow_up(*, answer: Answer) -> Answer:
    """The follow-up to a submitted main answer, chosen from what the quick pass found."""
    if answer.is_follow_up or not answer.is_submitted:
        raise ValueError("a follow-up follows a submitted main answer")
    existing = Answer.objects.filter(follow_up_of=answer).first()
    if existing:
        return existing
    probe = choose_probe(answer.question, quick_failure_modes(answer))
    return Answer.objects.create(
        candidate_id=answer.candidate_id,
        round_id=answer.round_id,
        position=answer.position,
        question_id=answer.question_id,
        kind=answer.kind,
        prompt=probe.text,
        follow_up_of=answer,
        time_limit_seconds=FOLLOW_UP_SECONDS,
    )
