"""The LLM scorer, through the real `openai` client, against a fake server on 127.0.0.1."""

import json
import socket
import time

import pytest

from scoring.llm import LLMScorer, locate_quote, retry_after
from scoring.llm_schema import InvalidReply, MalformedJSON, parse_reply
from scoring.registry import get_scorer
from scoring.types import (
    CriterionSpec,
    FailureModeSpec,
    QuestionSpec,
    RubricSpec,
    weighted_overall,
)
from tests.fakeopenai import FakeOpenAI

RUBRIC = RubricSpec(
    slug="gtm-strategy",
    kind="gtm",
    criteria=(
        CriterionSpec(
            key="measurement",
            label="Measurement",
            weight=0.6,
            levels=(
                "L1 no way to tell if it worked",
                "L2 counts of attention only",
                "L3 an outcome metric without a threshold",
                "L4 an outcome metric with a threshold",
                "L5 a holdout isolates the effect",
            ),
            description="How the candidate would know the launch worked.",
        ),
        CriterionSpec(
            key="recommendation",
            label="Recommendation",
            weight=0.4,
            levels=("R1 none", "R2 hedged", "R3 stated", "R4 argued", "R5 argued with limits"),
        ),
    ),
    failure_modes=(
        FailureModeSpec(
            key="premature_scaling",
            title="Scaling before it is proven",
            description="A broad launch before the value is validated in a small test.",
            good_rewrite="Pilot in one market and gate the wider launch on its results.",
        ),
        FailureModeSpec(
            key="vanity_metrics",
            title="Counting attention",
            description="Success judged by views or likes with no link to an outcome.",
            good_rewrite="Track repeat creation among exposed users.",
            not_when="views are named only as a diagnostic beside repeat creation",
        ),
    ),
)
QUESTION = QuestionSpec(
    kind="gtm", prompt="How would you launch duets?", slug="duets", time_limit_seconds=300
)
ANSWER = (
    "I would launch the duet feature globally, to every market at once, with a big PR push.\n"
    "Success is   the number of video views and hashtag uses in the first week.\n"
    "I recommend we go ahead."
)


def good_reply(**changes: object) -> dict:
    reply = {
        "criteria": [
            {"key": "measurement", "score": 2, "rationale": "Only views and hashtag counts."},
            {"key": "recommendation", "score": 4, "rationale": "A clear go."},
        ],
        "failure_modes": [
            {
                "key": "premature_scaling",
                "quotes": ["launch the duet feature globally, to every market at once"],
                "advice": "Start with one market.",
            },
            {
                "key": "vanity_metrics",
                "quotes": ["success is the number of video views"],
                "advice": "Measure repeat duets.",
            },
        ],
    }
    reply.update(changes)
    return reply


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def scorer(fake, waits) -> LLMScorer:
    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    return LLMScorer(
        base_url=fake.base_url,
        api_key="test-key",
        model="fake-model",
        timeout=0.5,
        max_retries=2,
        backoff_base=0.02,
        retry_after_cap=0.3,
        sleep=sleep,
    )


def outcomes(raw_attempts: list[dict]) -> list[str]:
    return [a["outcome"] for a in raw_attempts]


def test_good_reply_is_scored_with_exact_offsets(fake, scorer):
    fake.reply_json(good_reply())

    result = scorer.score(RUBRIC, QUESTION, ANSWER, time_used_seconds=200)

    assert result.error == ""
    assert result.scorer_id == "llm-2"
    assert [(c.key, c.label, c.score) for c in result.criteria] == [
        ("measurement", "Measurement", 2),
        ("recommendation", "Recommendation", 4),
    ]
    assert result.criteria[0].rationale == "Only views and hashtag counts."
    assert result.overall == weighted_overall(RUBRIC, {"measurement": 2, "recommendation": 4})
    assert result.overall == 2.8
    scaling, vanity = result.failure_modes
    assert (scaling.key, scaling.title, scaling.advice) == (
        "premature_scaling",
        "Scaling before it is proven",
        "Start with one market.",
    )
    [evidence] = scaling.evidence
    assert evidence.quote == "launch the duet feature globally, to every market at once"
    assert ANSWER[evidence.start : evidence.end] == evidence.quote
    # The model lowercased the quote and collapsed the spaces; the span is the answer's own text.
    [evidence] = vanity.evidence
    assert evidence.quote == "Success is   the number of video views"
    assert ANSWER[evidence.start : evidence.end] == evidence.quote
    assert result.raw["model"] == "fake-model"
    assert outcomes(result.raw["attempts"]) == ["ok"]
    assert result.raw["reply"] == good_reply()
    assert len(fake.requests) == 1


def test_prompt_carries_rubric_levels_failure_modes_and_answer(fake, scorer):
    fake.reply_json(good_reply())

    scorer.score(RUBRIC, QUESTION, ANSWER, time_used_seconds=200)

    [request] = fake.requests
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.body["model"] == "fake-model"
    system, user = request.messages
    assert system["role"] == "system" and "interviewer" in system["content"]
    prompt = user["content"]
    for criterion in RUBRIC.criteria:
        assert f"`{criterion.key}`: {criterion.label} (weight {criterion.weight:g})" in prompt
        for level, text in enumerate(criterion.levels, start=1):
            assert f"{level}: {text}" in prompt
    for mode in RUBRIC.failure_modes:
        assert f"`{mode.key}`: {mode.title}. {mode.description}" in prompt
    # What a mode is not comes from its own record, and only modes that say so get the line.
    assert "Not present when views are named only as a diagnostic beside repeat creation." in prompt
    assert prompt.count("Not present when") == 1
    assert f"<answer>\n{ANSWER}\n</answer>" in prompt
    assert "Question: How would you launch duets?" in prompt
    # Time is not part of the grade: the model is not told it; pacing is a separate note.
    assert "Time used" not in prompt
    assert "- the decision asked for: How would you launch duets?" in prompt
    assert "off topic" in system["content"] and "probe_verdict" in system["content"]

    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    items = schema["properties"]["criteria"]["items"]["properties"]
    assert items["key"]["enum"] == ["measurement", "recommendation"]
    assert items["score"] == {"type": "integer", "minimum": 1, "maximum": 5}
    modes = schema["properties"]["failure_modes"]["items"]["properties"]
    assert modes["key"]["enum"] == ["premature_scaling", "vanity_metrics"]


def test_quotes_not_in_the_answer_are_dropped(fake, scorer):
    fake.reply_json(
        good_reply(
            failure_modes=[
                {
                    "key": "premature_scaling",
                    "quotes": ["with a big PR push", "we will blanket every country with ads"],
                    "advice": "Pilot first.",
                },
                {"key": "vanity_metrics", "quotes": ["likes and followers"], "advice": "x"},
            ]
        )
    )

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.error == ""
    [finding] = result.failure_modes
    assert finding.key == "premature_scaling"
    assert [e.quote for e in finding.evidence] == ["with a big PR push"]
    assert result.raw["dropped_quotes"] == [
        {"failure_mode": "premature_scaling", "quote": "we will blanket every country with ads"},
        {"failure_mode": "vanity_metrics", "quote": "likes and followers"},
    ]
    assert result.raw["dropped_failure_modes"] == ["vanity_metrics"]


def test_malformed_json_is_retried_then_succeeds(fake, scorer, waits):
    fake.reply_content('{"criteria": [')
    fake.reply_json(good_reply())

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.error == ""
    assert result.scorer == "llm"
    assert outcomes(result.raw["attempts"]) == ["malformed JSON", "ok"]
    assert len(fake.requests) == 2
    # Exponential backoff with jitter: the first wait is between half and all of the base.
    [wait] = waits
    assert 0.01 <= wait <= 0.02


def test_malformed_json_every_time_falls_back_to_heuristic(fake, scorer, waits):
    for _ in range(3):
        fake.reply_content("Sure! Here is my assessment: the answer is weak.")

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.scorer == "heuristic"
    assert result.error == "llm fallback: malformed JSON after 3 attempts"
    assert outcomes(result.raw["llm"]["attempts"]) == ["malformed JSON"] * 3
    assert "Sure! Here is my assessment" in result.raw["llm"]["attempts"][0]["detail"]
    assert [c.key for c in result.criteria] == ["measurement", "recommendation"]
    assert len(fake.requests) == 3
    assert len(waits) == 2 and 0.02 <= waits[1] <= 0.04


def test_timeout_falls_back_with_the_reason(fake, scorer):
    for _ in range(3):
        fake.reply_slowly(3.0, good_reply())

    started = time.monotonic()
    result = scorer.score(RUBRIC, QUESTION, ANSWER)
    elapsed = time.monotonic() - started

    assert result.scorer == "heuristic"
    assert result.error == "llm fallback: timeout after 3 attempts"
    attempts = result.raw["llm"]["attempts"]
    assert outcomes(attempts) == ["timeout"] * 3
    assert all(0.4 < a["seconds"] < 1.5 for a in attempts)
    assert elapsed < 3.0
    assert result.raw["llm"]["model"] == "fake-model"


def test_rate_limit_honours_retry_after_then_succeeds(fake, scorer, waits):
    fake.reply_status(429, retry_after="0.2")
    fake.reply_json(good_reply())

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.error == ""
    assert result.scorer == "llm"
    assert outcomes(result.raw["attempts"]) == ["rate limited (429)", "ok"]
    assert waits == [0.2]
    assert result.raw["attempts"][0]["waited"] == 0.2


def test_retry_after_is_capped(fake, scorer, waits):
    fake.reply_status(429, retry_after="120")
    fake.reply_json(good_reply())

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.error == ""
    assert waits == [0.3]


def test_server_error_is_retried(fake, scorer):
    fake.reply_status(500)
    fake.reply_status(503)
    fake.reply_json(good_reply())

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.error == ""
    assert outcomes(result.raw["attempts"]) == ["server error (500)", "server error (503)", "ok"]


def test_refusals_are_retried_then_fall_back(fake, scorer):
    for _ in range(3):
        fake.reply_refusal("I can't evaluate this content.")

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.scorer == "heuristic"
    assert result.error == "llm fallback: refusal after 3 attempts"
    assert result.raw["llm"]["attempts"][0]["detail"] == "I can't evaluate this content."


def test_refusal_then_success(fake, scorer):
    fake.reply_refusal()
    fake.reply_json(good_reply())

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.scorer == "llm"
    assert outcomes(result.raw["attempts"]) == ["refusal", "ok"]


def test_reply_missing_a_criterion_is_invalid_and_retried(fake, scorer):
    fake.reply_json(good_reply(criteria=[good_reply()["criteria"][0]]))
    fake.reply_json(good_reply())

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.error == ""
    first = result.raw["attempts"][0]
    assert first["outcome"] == "invalid reply"
    assert first["detail"] == "missing criteria: recommendation"
    assert [c.key for c in result.criteria] == ["measurement", "recommendation"]


def test_a_refused_request_falls_back_without_retrying(fake, scorer, waits):
    fake.reply_status(401)

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.scorer == "heuristic"
    assert result.error == "llm fallback: HTTP 401 after 1 attempt"
    assert len(fake.requests) == 1
    assert waits == []


def test_an_endpoint_that_is_down_falls_back(waits):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    scorer = LLMScorer(
        base_url=f"http://127.0.0.1:{port}/v1", timeout=0.5, max_retries=1, sleep=waits.append
    )

    result = scorer.score(RUBRIC, QUESTION, ANSWER)

    assert result.scorer == "heuristic"
    assert result.error == "llm fallback: connection error after 2 attempts"
    assert len(waits) == 1


def test_an_empty_answer_never_reaches_the_endpoint(fake, scorer):
    result = scorer.score(RUBRIC, QUESTION, "  \n ")

    assert result.scorer == "heuristic"
    assert result.error == "llm skipped: empty answer"
    assert fake.requests == []


def test_no_endpoint_means_the_heuristic_scorer(settings):
    settings.SCORER = "auto"
    settings.OPENAI_BASE_URL = ""
    assert get_scorer().name == "heuristic"

    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"
    assert isinstance(get_scorer(), LLMScorer)

    settings.SCORER = "heuristic"
    assert get_scorer().name == "heuristic"


def test_negative_retries_are_refused():
    with pytest.raises(ValueError, match="max_retries must be 0 or more, not -1"):
        LLMScorer(base_url="http://127.0.0.1:9/v1", max_retries=-1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"criteria": good_reply()["criteria"] + [good_reply()["criteria"][0]]},
            "criteria scored twice: measurement",
        ),
        (
            {"criteria": [*good_reply()["criteria"], {"key": "x", "score": 3, "rationale": ""}]},
            "unknown criteria: x",
        ),
        (
            {"failure_modes": [{"key": "siloed_marketing", "quotes": [], "advice": ""}]},
            "failure modes not in this rubric: siloed_marketing",
        ),
        (
            {"criteria": [{"key": "measurement", "score": 6, "rationale": ""}]},
            "criteria.0.score: Input should be less than or equal to 5",
        ),
        (
            {"criteria": [{"key": "measurement", "score": "4", "rationale": ""}]},
            "criteria.0.score: Input should be a valid integer",
        ),
        ({"verdict": "weak"}, "verdict: Extra inputs are not permitted"),
    ],
)
def test_replies_that_break_the_contract_are_invalid(changes, message):
    with pytest.raises(InvalidReply, match=message):
        parse_reply(RUBRIC, json.dumps(good_reply(**changes)))


def test_a_reply_that_is_not_json_is_malformed():
    with pytest.raises(MalformedJSON):
        parse_reply(RUBRIC, "```json\n{}\n```")


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("big PR push", "big PR push"),
        ("  BIG pr PUSH ", "big PR push"),
        ("success is the number", "Success is   the number"),
        (
            "market at once, with a big PR push. success",
            "market at once, with a big PR push.\nSuccess",
        ),
        ("push.\nsuccess is", "push.\nSuccess is"),
        ("hashtag uses in the first month", None),
        ("", None),
    ],
)
def test_locate_quote(quote, expected):
    span = locate_quote(ANSWER, quote)
    assert (ANSWER[slice(*span)] if span else None) == expected


def test_locate_quote_unifies_curly_quotes_and_dashes():
    answer = "We don\u2019t chase views \u2014 we track repeat duets."
    span = locate_quote(answer, "we don't chase views - we track")
    assert span is not None
    assert answer[slice(*span)] == "We don\u2019t chase views \u2014 we track"


def test_retry_after_headers():
    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after-ms": "250", "retry-after": "3"}) == 0.25
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


OFF_TOPIC_ANSWER = (
    "I'd open Shop in Brazil this half: 11% of users tapped a product link, against 4% in "
    "Germany. Pix payments from day one, judged on repeat purchases against a holdout."
)


def test_an_off_topic_reply_caps_the_overall_and_says_what_was_asked(fake, scorer):
    fake.reply_json(
        good_reply(
            criteria=[
                {"key": "measurement", "score": 1, "rationale": "About Shop in Brazil."},
                {"key": "recommendation", "score": 1, "rationale": "Not about duets."},
            ],
            failure_modes=[],
            answers_question=False,
            fit_note="The answer plans a Shop launch in Brazil instead.",
        )
    )

    result = scorer.score(RUBRIC, QUESTION, OFF_TOPIC_ANSWER, time_used_seconds=60)

    assert result.overall <= 1.5
    assert result.fit["verdict"] == "off_topic" and result.fit["source"] == "llm"
    assert result.fit["message"].startswith(
        "This does not answer the question asked: “How would you launch duets?”"
    )
    assert result.pacing.startswith("Pacing: you used 1:00 of the 5:00")
    schema = fake.requests[0].body["response_format"]["json_schema"]["schema"]
    assert "answers_question" in schema["required"] and "probe_verdict" not in schema["required"]


def test_a_follow_up_is_sent_with_its_probe_and_short_rubric(fake, scorer):
    follow_up = QuestionSpec(
        kind="gtm",
        prompt="Is this a release to every market, or something smaller first?",
        follow_up_of="How would you launch duets?",
        probe_failure_mode="premature_scaling",
        time_limit_seconds=180,
    )
    fake.reply_json(
        {
            "criteria": [
                {"key": "probe_resolved", "score": 5, "rationale": "Now one market and a gate."},
                {"key": "probe_concrete", "score": 4, "rationale": "Canada, six weeks, 5%."},
            ],
            "failure_modes": [],
            "answers_question": True,
            "fit_note": "",
            "probe_verdict": "fixed",
        }
    )

    result = scorer.score(RUBRIC, follow_up, "Smaller: Canada for six weeks, wider if +5%.")

    [request] = fake.requests
    prompt = request.messages[1]["content"]
    assert "Probe (the question this answer replies to): Is this a release" in prompt
    assert "`premature_scaling`, Scaling before it is proven" in prompt
    schema = request.body["response_format"]["json_schema"]["schema"]
    criteria = schema["properties"]["criteria"]["items"]["properties"]["key"]["enum"]
    assert criteria == ["probe_resolved", "probe_concrete"]
    assert schema["properties"]["failure_modes"]["items"]["properties"]["key"]["enum"] == [
        "premature_scaling"
    ]
    assert result.overall >= 4
    assert result.raw["follow_up"]["verdict"] == "fixed"
    assert result.raw["follow_up"]["message"] == "Fixed: Now one market and a gate."
