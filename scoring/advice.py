"""Advice for a failure mode: its good rewrite, led by what this answer actually said."""

from collections import defaultdict
from typing import Any

from scoring.heuristic.features import LABELS
from scoring.heuristic.text import shorten
from scoring.types import Evidence, FailureModeSpec


def advice_for(spec: FailureModeSpec, evidence: list[Evidence], seen: dict[str, Any]) -> str:
    """signals["advice"] is a lead sentence with {quote}, {terms} and {missing} slots."""
    quote = shorten(evidence[0].quote) if evidence else ""
    cues = list(dict.fromkeys(c.lower() for c in seen.get("cues", [])))
    missing = [LABELS.get(m, m.replace("_", " ")) for m in seen.get("missing", [])]
    slots = defaultdict(
        str,
        quote=quote,
        terms=", ".join(f"“{c}”" for c in cues[:3]) or f"“{quote}”",
        missing=" or ".join(missing) or "it",
    )
    template = (spec.signals or {}).get("advice", "")
    lead = template.format_map(slots) if template else f"You said “{quote}”."
    return f"{lead} {spec.good_rewrite}".strip()
