from django.conf import settings
from django.utils.module_loading import import_string

from scoring.types import Scorer

SCORERS = {
    "heuristic": "scoring.heuristic.HeuristicScorer",
    "llm": "scoring.llm.LLMScorer",
}


def default_scorer_name() -> str:
    """SCORER picks one; "auto" means the LLM scorer only when an endpoint is configured."""
    if settings.SCORER != "auto":
        return settings.SCORER
    return "llm" if settings.OPENAI_BASE_URL else "heuristic"


# Scorers that read no settings are built once per process, so that their compiled rules
# (cached by the rules' content) serve every task; the LLM scorer reads its settings when built.
SHARED = frozenset({"heuristic"})
_shared: dict[str, Scorer] = {}


def get_scorer(name: str | None = None) -> Scorer:
    name = name or default_scorer_name()
    if name not in SCORERS:
        raise ValueError(f"unknown scorer {name!r}; choose from {', '.join(SCORERS)}")
    if name in SHARED:
        if name not in _shared:
            _shared[name] = import_string(SCORERS[name])()
        return _shared[name]
    return import_string(SCORERS[name])()
