"""Advice for a failure mode, written for this answer and this question.

Three parts: what the candidate said (their own words, quoted whole, never spliced into the
middle of our sentence), why it matters for this question (what it asks, by its kind), and the
failure mode's better move, with wording that belongs to another kind of question left out.
"""

import re
from collections import defaultdict
from typing import Any

from scoring.fit import question_facts
from scoring.heuristic.features import LABELS
from scoring.heuristic.text import shorten
from scoring.types import Evidence, FailureModeSpec, QuestionSpec

_QUOTE_SLOT = "“{quote}”"

# Good rewrites are written once per failure mode; phrases that only fit another kind of
# question are softened when this question is not of that kind.
_OTHER_QUESTION = (
    (
        re.compile(r"^Run the challenge with a defined audience and judge it", re.I),
        "challenge",
        "Judge it",
    ),
    (re.compile(r"^Because the feature is new, start", re.I), "new", "Start"),
)


def _rewrite(spec: FailureModeSpec, question: QuestionSpec | None) -> str:
    text = spec.good_rewrite
    if question is None:
        return text
    asked = f"{question.prompt} {question.context}".lower()
    for pattern, needs, plain in _OTHER_QUESTION:
        if needs not in asked:
            text = pattern.sub(plain, text)
    return text


def _lead(template: str, quote: str, slots: dict[str, str]) -> str:
    """The fixture's lead sentence, with the candidate's words quoted on their own first."""
    if not template:
        return f"You said: “{quote}”." if quote else ""
    if _QUOTE_SLOT not in template:
        return template.format_map(slots)
    body = template.replace(f" ({_QUOTE_SLOT})", "")
    if body.startswith(_QUOTE_SLOT):
        body = "That" + body[len(_QUOTE_SLOT) :]
    body = body.replace(_QUOTE_SLOT, "that")
    said = f"You said: “{quote}”. " if quote else ""
    return said + body.format_map(slots)


def advice_for(
    spec: FailureModeSpec,
    evidence: list[Evidence],
    seen: dict[str, Any],
    question: QuestionSpec | None = None,
    said: str = "",
) -> str:
    """signals["advice"] is a lead sentence with {quote}, {terms} and {missing} slots.

    `said` is the whole sentence the evidence comes from, quoted rather than a fragment of it.
    """
    quote = shorten(said or (evidence[0].quote if evidence else ""), 140).rstrip(" .")
    cues = list(dict.fromkeys(c.lower() for c in seen.get("cues", [])))
    missing = [LABELS.get(m, m.replace("_", " ")) for m in seen.get("missing", [])]
    slots: dict[str, str] = defaultdict(
        str,
        quote=quote,
        terms=", ".join(f"“{c}”" for c in cues[:3]) or f"“{quote}”",
        missing=" or ".join(missing) or "it",
    )
    lead = _lead((spec.signals or {}).get("advice", ""), quote, slots)
    why = ""
    if question is not None and question.prompt and spec.why_it_matters:
        asked = question_facts(question.prompt, question.context).decision
        why = f"For “{shorten(asked, 120)}” this matters: {spec.why_it_matters.rstrip('.')}."
    return " ".join(p for p in (lead, why, _rewrite(spec, question)) if p).strip()
