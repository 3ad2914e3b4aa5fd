"""A question's exemplary answer as the candidate reads it after answering: the text with each
sentence tagged by the rubric criteria it meets, the phrases that met them, and the scores.

The marks are the heuristic scorer's own evidence (CriterionResult.evidence), worked out when
the page is shown, so they always match the scorer and rubric in force; the fixtures hold only
the text. The heuristic is used whatever SCORER says: it is deterministic, offline, and the only
scorer that points at passages. Its evidence is a phrase ("start with", "holdout"); the text
marks the whole sentence around it, which reads better, and the list names the phrase.
"""

import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from feedback.highlight import annotate
from questions.models import Question
from questions.specs import specs_for_question
from rounds.models import Answer
from scoring.heuristic.text import sentences
from scoring.registry import get_scorer

# A credited feature can end inside a word ("target of 2" of "target of 25%"): marks run to the
# end of the word.
_WORD_TAIL = re.compile(r"[\w%’'.,/-]*")
MAX_QUOTES = 4


@dataclass
class CriterionMet:
    key: str
    number: int
    label: str
    score: int
    max_score: int
    rationale: str
    anchor: str
    quotes: list[str] = field(default_factory=list)


@dataclass
class Exemplar:
    prefix: str  # unique on the page: element ids start with it
    text: str
    overall: float
    criteria: list[CriterionMet]
    marked: SafeString


def exemplar_shown_for(answer: Answer, *, round_finished: bool) -> bool:
    """After the candidate's attempt at the question, never before: the main answer is in and
    its follow-up, when there is one, is answered or can no longer be (the round is over)."""
    main = answer.follow_up_of or answer
    if not main.is_submitted:
        return False
    follow_up = getattr(main, "follow_up", None)
    return follow_up is None or follow_up.is_submitted or round_finished


def exemplar_for(question: Question, *, prefix: str) -> Exemplar | None:
    """The question's exemplary answer, annotated; None when it has none. `prefix` makes the
    criteria's element ids unique on the page."""
    text = question.exemplary_answer.strip()
    if not text:
        return None
    rubric, spec = specs_for_question(question)
    result = get_scorer("heuristic").score(rubric, spec, text)
    criteria, spans = [], []
    sents = sentences(text)
    for number, c in enumerate(result.criteria, start=1):
        met = CriterionMet(c.key, number, c.label, c.score, c.max, c.rationale, f"{prefix}-{c.key}")
        for evidence in c.evidence:
            around = next((s for s in sents if s.start <= evidence.start < s.end), None)
            if around is not None:
                spans.append((around.start, around.end, c.key))
            quote = text[evidence.start : _word_end(text, evidence.end)]
            if quote not in met.quotes and len(met.quotes) < MAX_QUOTES:
                met.quotes.append(quote)
        criteria.append(met)
    by_key = {c.key: c for c in criteria}
    marked = annotate(
        text,
        spans,
        anchor=lambda key: by_key[key].anchor,
        tag=lambda key: str(by_key[key].number),
        rank=lambda key: by_key[key].number,
    )
    return Exemplar(
        prefix=prefix, text=text, overall=result.overall, criteria=criteria, marked=marked
    )


def _word_end(text: str, end: int) -> int:
    if not (0 < end < len(text) and text[end - 1].isalnum()):
        return end
    tail = _WORD_TAIL.match(text, end).group()  # type: ignore[union-attr]
    return end + len(tail.rstrip(".,’'/-"))
