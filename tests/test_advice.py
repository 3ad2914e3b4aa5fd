"""Advice is written for this answer: its own words quoted whole, why it matters for this
question, no wording from another kind of question, and rationales that agree with findings."""

from scoring.heuristic import HeuristicScorer
from scoring.heuristic.fixture_specs import rubric_specs
from scoring.types import QuestionSpec

RUBRICS = rubric_specs()
SCORER = HeuristicScorer()
QUESTION = QuestionSpec(
    "gtm",
    "Our standalone photo editing app launches in Brazil next quarter. How would you take it to "
    "market?",
)
ANSWER = (
    "We launch the photo editing app in Brazil with a creator campaign across every channel. "
    "Success looks like a huge spike in downloads in the first week and lots of buzz. We would "
    "launch it in every market at once."
)


def result():
    return SCORER.score(RUBRICS["default:gtm"], QUESTION, ANSWER)


def test_the_candidates_words_are_quoted_whole_not_spliced():
    advice = {f.key: f.advice for f in result().failure_modes}
    assert advice["premature_scaling"].startswith(
        "You said: “We would launch it in every market at once”. That commits to scale"
    )
    assert "know “" not in " ".join(advice.values())


def test_advice_says_why_it_matters_for_this_question_and_nothing_from_another_kind():
    for finding in result().failure_modes:
        assert "For “How would you take it to market?” this matters" in finding.advice
        assert "Run the challenge" not in finding.advice
        assert "Because the feature is new" not in finding.advice


def test_a_leading_indicator_is_not_credited_inside_a_vanity_goal():
    scored = result()
    assert "vanity_metrics" in {f.key for f in scored.failure_modes}
    measurement = next(c for c in scored.criteria if "vanity" in c.rationale)
    assert "leading indicator" not in measurement.rationale.split("lacks")[0].lower()


def test_no_criterion_shows_a_user_need_beside_no_user_in_the_answer():
    answer = (
        "Editing takes too long on cheap phones, which is frustrating. We'd launch with a big "
        "campaign and judge it on repeat edits per user against a holdout, shipping wider if "
        "they rise 5%."
    )
    scored = SCORER.score(RUBRICS["default:gtm"], QUESTION, answer)
    for c in scored.criteria:
        if "no user in the answer" in c.rationale.lower():
            assert not c.rationale.startswith("Shows")


def test_a_low_score_always_has_a_concrete_reason():
    scored = SCORER.score(
        RUBRICS["default:gtm"],
        QUESTION,
        "The photo editing app is good for Brazil and we would take it to market there soon.",
    )
    assert scored.overall < 3
    assert (
        scored.failure_modes
        or scored.fit["message"]
        or scored.summary.startswith("Why this score:")
    )
