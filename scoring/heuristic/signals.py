"""What a failure mode's `signals` may say (see scoring/heuristic/__init__.py), checked where
they are edited: the admin, import_bank and a system check all call signal_problems()."""

import difflib
import re
from typing import Any

from prep.lib.kinds import Kind
from scoring.heuristic.features import BY_NAME
from scoring.heuristic.reading import DERIVED

PATTERN_LISTS = (
    "cues",
    "final_cues",
    "context",
    "prompt_context",
    "cancel",
    "cancel_before",
    "scoped_cues",
    "scope",
    "evidence_hint",
)
FEATURE_LISTS = ("not_within", "remedies", "kept_with")
TEXT = ("advice",)
EVIDENCE = ("proposal", "last")
KEYS = frozenset((*PATTERN_LISTS, *FEATURE_LISTS, *TEXT, "absence", "evidence"))
ABSENCE_KEYS = frozenset(
    ("kinds", "prompt", "not_prompt", "asked", "needs", "requires", "min_words")
)


def feature_names() -> frozenset[str]:
    return frozenset(BY_NAME) | frozenset(DERIVED)


def _unknown(where: str, key: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{where}: unknown key {key!r}{hint}"


def _patterns(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        return [f"{where}: must be a list of regular expressions"]
    problems = []
    for i, pattern in enumerate(value):
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            problems.append(f"{where}[{i}]: bad regular expression {pattern!r}: {exc}")
    return problems


def _features(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
        return [f"{where}: must be a list of feature names"]
    known = feature_names()
    problems = []
    for i, name in enumerate(value):
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"{where}[{i}]: unknown feature {name!r}{hint}")
    return problems


def _absence(where: str, rule: Any) -> list[str]:
    if not isinstance(rule, dict):
        return [f"{where}: must be an object"]
    problems = [_unknown(f"{where}.{k}", k, ABSENCE_KEYS) for k in rule if k not in ABSENCE_KEYS]
    for key in ("prompt", "not_prompt", "asked"):
        if key in rule:
            problems += _patterns(f"{where}.{key}", rule[key])
    if "needs" in rule:
        problems += _features(f"{where}.needs", rule["needs"])
    requires = rule.get("requires", [])
    if not isinstance(requires, list):
        problems.append(f"{where}.requires: must be a list of lists of feature names")
    else:
        for i, group in enumerate(requires):
            problems += _features(f"{where}.requires[{i}]", group)
    kinds = rule.get("kinds", [])
    if not isinstance(kinds, list) or any(k not in Kind.values for k in kinds):
        problems.append(f"{where}.kinds: must be a list of {', '.join(Kind.values)}")
    min_words = rule.get("min_words", 0)
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 0:
        problems.append(f"{where}.min_words: must be a whole number")
    return problems


def signal_problems(signals: Any) -> list[str]:
    """Everything wrong with these signals, each message naming its field; empty when fine."""
    if not isinstance(signals, dict):
        return ["signals: must be an object"]
    problems = [_unknown(f"signals.{k}", k, KEYS) for k in signals if k not in KEYS]
    for key in PATTERN_LISTS:
        if key in signals:
            problems += _patterns(f"signals.{key}", signals[key])
    for key in FEATURE_LISTS:
        if key in signals:
            problems += _features(f"signals.{key}", signals[key])
    for key in TEXT:
        if key in signals and not isinstance(signals[key], str):
            problems.append(f"signals.{key}: must be text")
    if "evidence" in signals and signals["evidence"] not in EVIDENCE:
        problems.append(f"signals.evidence: must be one of {', '.join(EVIDENCE)}")
    rules = signals.get("absence", [])
    if isinstance(rules, dict):
        rules = [rules]
    if not isinstance(rules, list):
        problems.append("signals.absence: must be a list of rules")
    else:
        for i, rule in enumerate(rules):
            problems += _absence(f"signals.absence[{i}]", rule)
    return problems
