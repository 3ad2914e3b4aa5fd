"""The interviewer's follow-up: a quick scoring pass over the main answer picks the probe."""

import dataclasses
import logging
import re

from django.db import transaction

from questions.models import Question
from questions.specs import specs_for_question
from rounds.models import FOLLOW_UP_SECONDS, Answer
from rubrics.models import FailureMode
from scoring.fit import stems, terms
from scoring.registry import get_scorer

logger = logging.getLogger(__name__)

# The fast, pure scorer whose findings pick the follow-up probe while the candidate waits.
QUICK_SCORER = "heuristic"
DEFAULT_PROBE = "What is the biggest risk in your answer, and how would you find out early?"


@dataclasses.dataclass(frozen=True)
class ProbeChoice:
    text: str
    failure_mode: str | None  # the failure mode that led to it, if any


def quick_findings(answer: Answer) -> dict[str, str]:
    """Failure-mode keys the quick heuristic pass finds, each with the sentence of the answer
    that shows it (the candidate's words the probe may quote), most salient first."""
    try:
        rubric, question = specs_for_question(answer.question, prompt=answer.prompt)
        result = get_scorer(QUICK_SCORER).score(
            rubric, question, answer.text, time_used_seconds=answer.time_used_seconds
        )
    except Exception:
        # The follow-up must not cost the candidate their submission: ask a general probe.
        logger.exception("quick pass failed on answer %s", answer.pk)
        return {}
    return {
        f.key: sentence_around(answer.text, f.evidence[0].start, f.evidence[0].end)
        if f.evidence
        else ""
        for f in result.failure_modes
    }


def quick_failure_modes(answer: Answer) -> list[str]:
    """Failure-mode keys the quick heuristic pass finds in the answer, most salient first."""
    return list(quick_findings(answer))


_BOUNDARY = re.compile(r"[.!?\n]")


def sentence_around(text: str, start: int, end: int, limit: int = 140) -> str:
    """The whole sentence of `text` around a span, shortened at a word if long."""
    before = [m.end() for m in _BOUNDARY.finditer(text, 0, start)]
    after = _BOUNDARY.search(text, end)
    sentence = " ".join(
        text[before[-1] if before else 0 : after.start() if after else None].split()
    )
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def grounded(probe: str, answer_text: str, question: Question) -> bool:
    """Whether a probe asserts only what the candidate said or the question gave.

    A probe's statements ("Everything you listed adds up to 24 squad-weeks.", "Labels were
    added to 2 million videos.") must be backed: its numbers and names in the answer or the
    question, and a claim about the candidate ("you", "your") in the answer's own words.
    """
    known = stems(f"{answer_text} {question.prompt} {question.context}")
    said = stems(answer_text)
    for sentence in re.split(r"(?<=[.!])\s+", probe.strip()):
        if sentence.endswith("?") or not sentence:
            continue
        words = terms(sentence)
        facts = [
            t
            for t, w in words.items()
            if w[0].isdigit() or (w[0].isupper() and w != words_first(sentence))
        ]
        if any(t not in known for t in facts):
            return False
        if re.search(r"\byou(r)?\b", sentence, re.IGNORECASE):
            content = list(words)
            if content and sum(t in said for t in content) < len(content) / 2:
                return False
    return True


def words_first(sentence: str) -> str:
    match = re.match(r"\W*(\w+)", sentence)
    return match.group(1) if match else ""


def quoted(probe: str, said: str) -> str:
    """The probe led by the candidate's own sentence that prompted it."""
    return f"You said: “{said.rstrip(' .')}”. {probe}" if said else probe


def choose_probe(
    question: Question,
    failure_mode_keys: list[str],
    *,
    answer_text: str | None = None,
    said: dict[str, str] | None = None,
) -> ProbeChoice:
    """The probe for these failure modes, quoting the candidate's sentence that prompted it;
    a bank probe that asserts what neither the answer nor the question says gives way to the
    failure mode's generic follow-up. Without `answer_text`, the bank's probe as written."""
    choice = _choose_probe(question, failure_mode_keys)
    if answer_text is None or choice.failure_mode is None:
        return choice
    text = choice.text
    if not grounded(text, answer_text, question):
        generic = (
            FailureMode.objects.filter(key=choice.failure_mode)
            .values_list("follow_up", flat=True)
            .first()
        )
        text = generic or DEFAULT_PROBE
    return ProbeChoice(quoted(text, (said or {}).get(choice.failure_mode, "")), choice.failure_mode)


def _choose_probe(question: Question, failure_mode_keys: list[str]) -> ProbeChoice:
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
    found = quick_findings(answer)
    probe = choose_probe(answer.question, list(found), answer_text=answer.text, said=found)
    return Answer.objects.create(
        candidate_id=answer.candidate_id,
        round_id=answer.round_id,
        position=answer.position,
        question_id=answer.question_id,
        kind=answer.kind,
        prompt=probe.text,
        probe_failure_mode=probe.failure_mode or "",
        follow_up_of=answer,
        time_limit_seconds=FOLLOW_UP_SECONDS,
    )
