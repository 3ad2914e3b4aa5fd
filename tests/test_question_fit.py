"""Question fit: an answer to another question scores as off topic, whatever its polish.

The answers here were written for these tests, for bank questions outside the graded sets.
"""

import dataclasses
import math

import pytest

from scoring.fit import (
    OFF_TOPIC,
    OFF_TOPIC_CAP,
    PARTLY,
    Fit,
    question_facts,
    question_fit,
    threshold,
    with_relevance,
)
from scoring.heuristic import HeuristicScorer
from scoring.heuristic.fixture_specs import rubric_specs
from scoring.types import QuestionSpec
from tests.scoring_helpers import SHOP_MARKET_ANSWER

RUBRICS = rubric_specs()
SCORER = HeuristicScorer()

DUET = QuestionSpec(
    "gtm",
    "A group duet feature, where up to four friends add themselves to one video, is in design. "
    "You are its product marketer. What do you do in the next four weeks, before anything is "
    "built?",
    context="Design has two concepts: (A) invitations sent through DMs, (B) an open 'join this "
    "duet' button on the video. Engineering can build only one for the first release. "
    "Leadership's goal: raise the share of users who create at least once a week.",
)
DUET_ANSWER = (
    "Before anything is built I'd sit with design and pick between the two concepts using what "
    "friends actually do: teens who already duet each other in group chats. I'd run five days of "
    "concept tests with 40 of them, showing DM invitations against the open join button, and "
    "I'd recommend DM invitations if at least a third of groups fill all four slots, because "
    "the goal is weekly creation, and a friend waiting on you is the strongest reason to "
    "create. Marketing writes the story now: 'make one video with your crew'. We pilot with "
    "1% of users in one market, with weekly creators against a holdout as the measure."
)
# A polished answer to the Shop market question, given to the duet question: a 92-word version of
# SHOP_MARKET_ANSWER (216 words).
SHOP_ANSWER = (
    "I'd open Shop in Brazil this half. 11% of Brazilian users tapped a product link in the "
    "last 30 days, against 4% in Germany and 6% in Japan, on 85 million monthly users. I'd "
    "launch with Pix and instalments from day one, start with fashion and beauty sellers in Sao "
    "Paulo, and judge it on repeat purchase rate against a holdout, with refund rate as a "
    "guardrail. I would deliberately not build invoice payments for Germany or convenience-store "
    "payments for Japan this half, and I'd expand only if repeat purchases clear 25%."
)

COMPLETION = QuestionSpec(
    "execution",
    "Hundreds of creators are posting screenshots showing that the average completion rate in "
    "their analytics fell by half overnight, while their views look normal. How do you find out "
    "what happened, and what do you tell creators?",
    context="Two days ago the analytics team changed how partial replays are counted. "
    "Completion as logged by the video player, across all videos, fell 4% over the same period.",
)
COMPLETION_WEAK = (
    "I think the completion rate fell because the algorithm changed and creators are posting "
    "worse videos. I'd tell creators to make shorter, punchier videos and we should push a fix "
    "to the analytics page quickly so the screenshots stop."
)


def test_facts_are_read_from_the_prompt_and_context():
    facts = question_facts(DUET.prompt, DUET.context)
    assert facts.decision.startswith("What do you do in the next four weeks")
    assert "duet" in facts.prompt_terms and "invit" in facts.context_terms


def test_an_answer_to_the_question_fits_and_one_to_another_does_not():
    fit = question_fit(DUET, DUET_ANSWER)
    assert fit.verdict == "answers" and "duet" in fit.used
    off = question_fit(DUET, SHOP_MARKET_ANSWER)
    assert off.off_topic
    assert "duet" in off.ignored
    assert off.message().startswith("This does not answer the question asked: “What do you do")


def test_an_off_topic_answer_scores_at_most_one_and_a_half_whatever_its_polish():
    rubric = RUBRICS["default:gtm"]
    on = SCORER.score(rubric, DUET, DUET_ANSWER)
    off = SCORER.score(rubric, DUET, SHOP_MARKET_ANSWER)
    # The same polished text, asked the question it answers, scores well.
    shop = QuestionSpec(
        "gtm",
        "Shop can open in only one new market this half: Brazil, Germany or Japan. Pick one, "
        "tell me why, and say what you would deliberately not do in the other two.",
    )
    assert SCORER.score(rubric, shop, SHOP_MARKET_ANSWER).overall >= 3.5
    assert off.overall <= OFF_TOPIC_CAP < on.overall
    assert off.fit["verdict"] == "off_topic" and off.fit["message"]
    assert all(c.score == 1 for c in off.criteria)


def test_a_weak_answer_about_the_question_is_not_off_topic():
    weak = question_fit(COMPLETION, COMPLETION_WEAK)
    assert weak.verdict != "off_topic"
    off = question_fit(COMPLETION, SHOP_MARKET_ANSWER)
    assert off.off_topic
    rubric = RUBRICS["default:execution"]
    assert SCORER.score(rubric, COMPLETION, SHOP_MARKET_ANSWER).overall < (
        SCORER.score(rubric, COMPLETION, COMPLETION_WEAK).overall
    )


def test_an_ad_hoc_prompt_gets_the_same_check():
    adhoc = QuestionSpec("gtm", "How would you launch group duets for friends?")
    assert question_fit(adhoc, SHOP_ANSWER).off_topic
    assert not question_fit(adhoc, DUET_ANSWER).off_topic
    # With no prompt there is nothing to check against.
    assert question_fit(QuestionSpec("gtm", ""), SHOP_ANSWER).verdict == "answers"


DUET_WEAK = (
    "Group duets are a great feature for everyone. I'd launch them to all users in every market "
    "on day one with a big marketing push, a hashtag challenge and influencers, and we'd count "
    "success as views and shares of duet videos. Marketing can announce it once it's built."
)


def test_scores_spread_like_an_interviewers_strong_high_weak_low_off_topic_lowest():
    rubric = RUBRICS["default:gtm"]
    strong = SCORER.score(rubric, DUET, DUET_ANSWER).overall
    weak = SCORER.score(rubric, DUET, DUET_WEAK).overall
    off = SCORER.score(rubric, DUET, SHOP_MARKET_ANSWER).overall
    assert strong >= 4.0 and weak <= 2.5 and off <= 1.5
    assert off < weak < strong


# Relevance (scoring/relevance.py): an answer about the same subject that makes another decision.


def _bank(slug: str) -> tuple[QuestionSpec, dict]:
    from scoring.heuristic.fixture_specs import bank_questions, question_spec

    fields = next(q for q in bank_questions() if q["slug"] == slug)
    return question_spec(fields), fields


def test_an_answer_about_the_same_subject_that_makes_another_decision_is_off_topic():
    """The experiment design for boosting long videos, given to "would you let creators post
    15-minute videos?": the same subject and many of its words, another decision."""
    longer, _ = _bank("longer-video-format")
    _, experiment = _bank("ab-test-guardrails-longer-videos-ranking")
    answer = experiment["exemplary_answer"]
    fit = question_fit(longer, answer)
    assert fit.p_off_topic is not None and fit.p_off_topic >= 0.3 and fit.off_topic
    assert "does not answer the question asked" in fit.message()
    # Named by its title: its asking sentence alone need not say what it is about.
    assert f"reads more like an answer to another question: “{experiment['title']}”" in (
        fit.message()
    )
    # Its words alone would pass it: without the question's identity only coverage counts.
    unnamed = question_fit(dataclasses.replace(longer, slug=None), answer)
    assert unnamed.p_off_topic is None and unnamed.verdict == "answers"
    scored = SCORER.score(RUBRICS["product-sense"], longer, answer)
    assert scored.overall <= OFF_TOPIC_CAP


def test_the_bank_answers_answer_their_own_questions_and_not_each_others():
    from scoring.heuristic.fixture_specs import bank_questions, question_spec

    questions = {q["slug"]: q for q in bank_questions()}
    own = other = 0
    slugs = sorted(questions)
    for i, slug in enumerate(slugs):
        spec = question_spec(questions[slug])
        assert question_fit(spec, questions[slug]["exemplary_answer"]).verdict == "answers", slug
        own += 1
        # The next question of another kind: a different decision, whatever words it shares.
        given = next(s for s in slugs[i + 1 :] + slugs if questions[s]["kind"] != spec.kind)
        other += question_fit(spec, questions[given]["exemplary_answer"]).off_topic
    assert own == len(slugs) and other == len(slugs)


def test_a_question_the_model_has_not_seen_is_judged_by_its_words_alone():
    duet_like = dataclasses.replace(DUET, slug="a-question-added-after-training")
    fit = question_fit(duet_like, DUET_ANSWER)
    assert fit.p_off_topic is None and fit.verdict == "answers"
    assert question_fit(duet_like, SHOP_MARKET_ANSWER).off_topic


def test_relevance_weights_are_read_once_and_cover_the_bank():
    from scoring.heuristic.fixture_specs import bank_questions
    from scoring.relevance import WEIGHTS, relevance_model

    assert WEIGHTS.stat().st_size < 2_500_000  # read once per process, in about 0.15 s
    model = relevance_model()
    assert model is not None and model is relevance_model()
    assert {q["slug"] for q in bank_questions()} == set(model.questions)


def _softmax_of_plain_sums(bias, weights, x: dict[str, float]) -> list[float]:
    z = list(bias)
    for word, value in x.items():
        for i, w in weights.get(word, ()):
            z[i] += w * value
    e = [math.exp(v - max(z)) for v in z]
    return [v / sum(e) for v in e]


def test_packed_relevance_weights_give_the_plain_sums():
    from scoring.relevance import relevance_model

    model = relevance_model()
    assert model is not None
    for answer in (DUET_ANSWER, SHOP_ANSWER, COMPLETION_WEAK):
        x = model.vector(answer)
        plain = _softmax_of_plain_sums(model.bias, model.weights, x)
        assert model.probabilities(x) == pytest.approx(plain, abs=1e-3)
        # The same for the model of the answer's words other than the question's own.
        own = model.own_words["creator-completion-rate-halved"]
        assert {"completion", "analytics", "creators"} <= own
        rest = model.without_own_words("creator-completion-rate-halved", x)
        assert set(rest) == set(x) - own
        assert sum(v * v for v in rest.values()) == pytest.approx(1.0)
        plain = _softmax_of_plain_sums(model.rest_bias, model.rest_weights, rest)
        assert model.probabilities(rest, rest=True) == pytest.approx(plain, abs=1e-3)


def test_a_weak_answer_about_the_question_ranks_above_an_off_topic_one():
    """LABELING.md: grade 2 (weak, about the question) above grade 1 (off topic)."""
    completion, _ = _bank("creator-completion-rate-halved")
    weak = SCORER.score(RUBRICS["execution-diagnosis"], completion, COMPLETION_WEAK)
    off = SCORER.score(RUBRICS["execution-diagnosis"], completion, SHOP_ANSWER)
    assert weak.fit["verdict"] != "off_topic" and off.fit["verdict"] == "off_topic"
    assert off.overall <= OFF_TOPIC_CAP < weak.overall


# The question's own nouns (completion rate, creators, analytics, replays) in a pitch for a new
# analytics feature: it never asks what happened overnight or says what to tell creators.
COMPLETION_PITCH = (
    "Creators obviously care a lot about completion rate, so I'd use this moment to give them "
    "analytics worth trusting. Today the analytics page shows one average completion number per "
    "video, which hides where viewers leave. I'd build a second-by-second retention curve for "
    "each video, with markers where most viewers swipe away and a comparison with the creator's "
    "own last ten videos, replays shown as their own line. For small creators I'd add one tip "
    "under the curve, such as 'most viewers leave during your intro'. I'd pilot it with 5% of "
    "creators and judge it by weekly opens of the curve and whether their next videos hold "
    "viewers longer, with support tickets about analytics as the guardrail."
)


def test_an_answer_that_borrows_the_questions_nouns_for_another_decision_is_off_topic():
    completion, _ = _bank("creator-completion-rate-halved")
    from scoring.relevance import relevance_model

    model = relevance_model()
    assert model is not None
    pitch = model.relevance(completion.slug, COMPLETION_PITCH)
    weak = model.relevance(completion.slug, COMPLETION_WEAK)
    # The pitch uses the question's nouns as much as the weak answer does, yet reads as an answer
    # to another question; the weak answer about what happened reads as this one's. (Which of
    # the four readings carries it moves with each fit: heuristic-18's P(asked | other words)
    # is 0.07 for both.)
    assert pitch.off_topic > 0.9 and weak.off_topic < 0.15
    assert question_fit(completion, COMPLETION_PITCH).off_topic
    rubric = RUBRICS["execution-diagnosis"]
    assert SCORER.score(rubric, completion, COMPLETION_PITCH).overall < (
        SCORER.score(rubric, completion, COMPLETION_WEAK).overall
    )


def test_within_off_topic_a_sure_verdict_scores_lowest_and_in_passing_sits_above_it():
    """Off topic 1.0-1.5, lower the surer the model is; touching the question only in passing just
    above that; any answer about the question at least ON_TOPIC_FLOOR (LABELING.md: 1 < 2)."""
    from scoring.heuristic.scorer import ON_TOPIC_FLOOR, _overall

    def fit(verdict: str, p: float | None) -> Fit:
        return Fit(0.3, verdict, "Why?", [], [], [], [], p_off_topic=p)

    sure, borderline = (
        _overall(4.0, [], fit("off_topic", 0.9)),
        _overall(4.0, [], fit("off_topic", 0.2)),
    )
    words_only = _overall(4.0, [], fit("off_topic", None))
    assert 1.0 <= sure < borderline < words_only == OFF_TOPIC_CAP
    passing = _overall(4.0, [], fit("partly", 0.1))
    weakest = _overall(1.0, [], fit("answers", 0.01))
    assert OFF_TOPIC_CAP < passing < ON_TOPIC_FLOOR <= weakest


# A story from the candidate's own industry, written for this test: it answers the question but
# repeats few of the prompt's words.
FAILED_LAUNCH_STORY = (
    "I launched a meal-kit subscription pause feature at a food delivery company that was meant "
    "to cut cancellations by 15%. It cut them by 3%. I pulled the cohort data and found that "
    "most people who paused never came back, so we had just delayed churn. I interviewed twelve "
    "users: they paused because of travel, but on return the app showed them the full-price box "
    "with no reminder. We added a return nudge with a discount and cancellations fell a further "
    "9%. Today I define the outcome past the first step before launch: not 'fewer cancellations "
    "this week' but 'still subscribed at 60 days'."
)


def test_a_story_from_another_industry_answers_a_behavioral_question():
    failed, _ = _bank("launch-that-failed-lessons")
    # Its words alone engage with the prompt only in passing...
    unnamed = question_fit(dataclasses.replace(failed, slug=None), FAILED_LAUNCH_STORY)
    assert unnamed.coverage < PARTLY
    # ...but for a behavioral bank question the model decides, and it is a story of this theme.
    assert question_fit(failed, FAILED_LAUNCH_STORY).verdict == "answers"
    # A story on another theme (coaching a junior) is off topic.
    _, coaching = _bank("coaching-a-junior-through-first-launch")
    assert question_fit(failed, coaching["exemplary_answer"]).off_topic


@pytest.mark.parametrize(
    ("kind", "words", "p", "verdict"),
    [
        ("gtm", 250, 0.2, "off_topic"),  # full length: the kind's own bar (0.15)
        ("gtm", 170, 0.2, "answers"),  # under 200 words the bar is 0.3
        ("gtm", 100, 0.75, "answers"),  # from 90 words it is 0.8
        ("gtm", 100, 0.85, "off_topic"),
        ("gtm", 60, 0.9, "answers"),  # under 90 words it is 0.95
        ("gtm", 60, 0.97, "off_topic"),
        ("behavioral", 70, 0.97, "off_topic"),
        ("behavioral", 250, 0.65, "off_topic"),
        ("behavioral", 130, 0.65, "answers"),
        ("behavioral", 160, 0.75, "answers"),  # 0.8 from 150 words, 0.7 from 175
        ("behavioral", 185, 0.75, "off_topic"),
        ("behavioral", 40, 0.999, "answers"),  # too short a story to tell which prompt it fits
    ],
)
def test_a_short_answer_needs_a_surer_model_to_be_called_off_topic(kind, words, p, verdict):
    assert with_relevance("answers", p, kind, words) == verdict


def test_the_bar_never_falls_as_answers_get_shorter():
    for kind in ("behavioral", "gtm"):
        bars = [threshold(kind, words) for words in range(10, 400, 5)]
        assert bars == sorted(bars, reverse=True)


def test_a_short_answer_with_few_of_the_questions_words_is_not_called_off_topic_on_them_alone():
    """Coverage alone (OFF_TOPIC) is not enough evidence under 200 words: "partly" at most."""
    assert with_relevance("off_topic", 0.1, "gtm", 120) == "partly"
    assert with_relevance("off_topic", 0.1, "gtm", 250) == "off_topic"


# A 60-word answer that answers the creator-subscriptions question: terse, but about it.
SHORT_ON_TOPIC = (
    "The users are independent creators in Germany and France who already have loyal fans and "
    "want recurring income. We launch creator subscriptions to 500 mid-size creators in Germany "
    "only for six weeks, and expand to France only if renewal holds. Success is the share of "
    "subscribers who renew after the first month, and we stop if renewal is under 40%. My "
    "recommendation is to launch."
)


def test_a_terse_answer_about_the_question_is_not_called_off_topic():
    subscriptions, _ = _bank("creator-subscriptions-launch-germany-france")
    assert question_fit(subscriptions, SHORT_ON_TOPIC).verdict == "answers"


# Written for this test: a terse answer to the duet question in the candidate's own words.
DUET_TERSE = (
    "I'd go with the invite concept. People who record together with their crew come back "
    "weekly, and a personal nudge is what gets someone in. This month I'd show both mock-ups to "
    "twenty teen groups and pick whichever fills every slot more often, then brief a few "
    "creators to seed it."
)


def test_on_its_words_alone_a_short_answer_is_held_to_bars_scaled_to_its_length():
    """Where no model knows the question (ad-hoc prompts, questions added since relevance.json
    was fitted), coverage alone decides; a 51-word answer has had a quarter of the room to use
    the question's words, so it faces a quarter of the bars."""
    terse = question_fit(DUET, DUET_TERSE)
    assert terse.coverage < OFF_TOPIC and terse.verdict == "answers"  # off topic at 200 words
    assert SCORER.score(RUBRICS["default:gtm"], DUET, DUET_TERSE).overall > OFF_TOPIC_CAP
    # The short Shop answer touches the duet question only in passing; the long one is off topic.
    assert question_fit(DUET, SHOP_ANSWER).verdict == "partly"
    assert question_fit(DUET, SHOP_MARKET_ANSWER).verdict == "off_topic"
    # A short answer that uses none of the question's words is still off topic.
    adhoc = QuestionSpec("gtm", "How would you launch group duets for friends?")
    assert question_fit(adhoc, SHOP_ANSWER).off_topic
