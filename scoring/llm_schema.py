"""The reply the LLM scorer asks for: the JSON schema sent to the model, and its validation.

The schema constrains the model (structured output, strict mode); validation does not trust
that it did, since many OpenAI-compatible servers ignore `response_format`.
"""

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scoring.types import RubricSpec

SCHEMA_NAME = "answer_assessment"


class InvalidReply(ValueError):
    """The model's reply is not the shape this rubric needs."""


class MalformedJSON(InvalidReply):
    """The model's reply is not JSON at all."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CriterionScore(_Strict):
    key: str
    score: Annotated[int, Field(ge=1, le=5)]
    rationale: str


class FailureModeClaim(_Strict):
    key: str
    quotes: list[str]
    advice: str


class Reply(_Strict):
    criteria: list[CriterionScore]
    failure_modes: list[FailureModeClaim]
    # Asked for in the schema; a server that ignores it and leaves them out is read as "answers".
    answers_question: bool = True
    fit_note: str = ""
    # Follow-ups only: fixed, partly, not_fixed or off_probe.
    probe_verdict: str = ""


PROBE_VERDICTS = ("fixed", "partly", "not_fixed", "off_probe")


def reply_schema(rubric: RubricSpec, *, follow_up: bool = False) -> dict[str, Any]:
    """A strict-mode JSON schema: every property required, no extras, keys from this rubric."""
    criterion_keys = [c.key for c in rubric.criteria]
    failure_keys = [f.key for f in rubric.failure_modes]
    failure_key: dict[str, Any] = {"type": "string", "enum": failure_keys}
    if not failure_keys:
        # An empty enum is not a valid schema; nothing may be listed instead.
        failure_key = {"type": "string"}
    extra: dict[str, Any] = {
        "answers_question": {"type": "boolean"},
        "fit_note": {"type": "string"},
    }
    if follow_up:
        extra["probe_verdict"] = {"type": "string", "enum": list(PROBE_VERDICTS)}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["criteria", "failure_modes", *extra],
        "properties": {
            **extra,
            "criteria": {
                "type": "array",
                "minItems": len(criterion_keys),
                "maxItems": len(criterion_keys),
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["key", "score", "rationale"],
                    "properties": {
                        "key": {"type": "string", "enum": criterion_keys},
                        "score": {"type": "integer", "minimum": 1, "maximum": 5},
                        "rationale": {"type": "string"},
                    },
                },
            },
            "failure_modes": {
                "type": "array",
                "maxItems": len(failure_keys),
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["key", "quotes", "advice"],
                    "properties": {
                        "key": failure_key,
                        "quotes": {"type": "array", "items": {"type": "string"}},
                        "advice": {"type": "string"},
                    },
                },
            },
        },
    }


def response_format(rubric: RubricSpec, *, follow_up: bool = False) -> dict[str, Any]:
    schema = reply_schema(rubric, follow_up=follow_up)
    return {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": schema},
    }


def parse_reply(rubric: RubricSpec, content: str) -> Reply:
    """The validated reply, or InvalidReply saying what is wrong with it."""
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise MalformedJSON(str(exc)) from None
    try:
        reply = Reply.model_validate(data)
    except ValidationError as exc:
        errors = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidReply(f"reply does not match the schema: {errors}") from None

    expected = [c.key for c in rubric.criteria]
    seen = [c.key for c in reply.criteria]
    missing = [k for k in expected if k not in seen]
    unknown = sorted({k for k in seen if k not in expected})
    repeated = sorted({k for k in seen if seen.count(k) > 1})
    allowed = {f.key for f in rubric.failure_modes}
    foreign = sorted({f.key for f in reply.failure_modes if f.key not in allowed})
    problems: list[str] = [
        f"{label}: {', '.join(keys)}"
        for label, keys in (
            ("missing criteria", missing),
            ("unknown criteria", unknown),
            ("criteria scored twice", repeated),
            ("failure modes not in this rubric", foreign),
        )
        if keys
    ]
    if reply.probe_verdict and reply.probe_verdict not in PROBE_VERDICTS:
        problems.append(f"probe_verdict must be one of {', '.join(PROBE_VERDICTS)}")
    if problems:
        raise InvalidReply("; ".join(problems))
    return reply
