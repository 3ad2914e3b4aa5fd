"""Follow-up answers are scored against their probe's weakness, with real text."""

import pytest

from scoring.heuristic import HeuristicScorer
from scoring.heuristic.fixture_specs import rubric_specs
from scoring.types import QuestionSpec

RUBRICS = rubric_specs()
SCORER = HeuristicScorer()
MAIN = (
    "We want to launch multi-guest LIVE, where up to six people broadcast together, in "
    "Indonesia, Germany and Brazil. How would you plan the launch?"
)


def follow_up(probe: str, mode: str, kind: str = "gtm") -> QuestionSpec:
    return QuestionSpec(kind, probe, follow_up_of=MAIN, probe_failure_mode=mode)


def score(question: QuestionSpec, text: str, kind: str = "gtm"):
    rubric = RUBRICS[f"default:{kind}"]
    return SCORER.score(rubric, question, text)


SCALING = follow_up(
    "Is this a release to all LIVE hosts, or something smaller first?", "premature_scaling"
)
MEASURE = follow_up("How would you know it worked?", "no_measurement_plan")


@pytest.mark.parametrize(
    "question, text",
    [
        (
            SCALING,
            "Smaller first. I'd start with a beta for hosts in Germany only, where moderators "
            "cover 95% of LIVE hours, for four weeks. We expand to Brazil only if user reports "
            "stay under 2 per 1,000 viewer-minutes; Indonesia waits until moderation coverage "
            "reaches 80%.",
        ),
        (
            MEASURE,
            "Success is the share of hosts who run a second multi-guest session within 14 days, "
            "compared against a holdout of hosts who don't get the feature. We ship wider if it "
            "beats the holdout by 5 points and reports per 1,000 viewer-minutes stay flat.",
        ),
    ],
)
def test_a_follow_up_that_fixes_the_probed_weakness_scores_at_least_four(question, text):
    result = score(question, text)
    assert result.overall >= 4, result
    assert result.raw["follow_up"]["verdict"] == "fixed"
    assert result.raw["follow_up"]["message"].startswith("Fixed: you now give")
    assert result.criteria[0].rationale.startswith("Now gives")
    assert {c.key for c in result.criteria} == {"probe_resolved", "probe_concrete"}
    assert not result.failure_modes


@pytest.mark.parametrize(
    "question, text",
    [
        (
            SCALING,
            "It should go to every host in all three countries on the same day, with a big "
            "marketing push so the launch gets maximum momentum everywhere at once.",
        ),
        (
            SCALING,
            "Multi-guest LIVE is exciting because hosts love collaborating, and viewers enjoy "
            "seeing their favourite creators together. The feature will be very popular.",
        ),
        (
            MEASURE,
            "We'd see lots of hosts using it and I'm confident people will love it; the buzz "
            "will speak for itself.",
        ),
    ],
)
def test_a_follow_up_that_ignores_the_probed_weakness_scores_at_most_two(question, text):
    result = score(question, text)
    assert result.overall <= 2, result
    assert result.raw["follow_up"]["verdict"] in ("not_fixed", "off_probe")
    assert result.raw["follow_up"]["message"].startswith("Not fixed")


def test_a_follow_up_is_not_judged_on_the_main_rubric():
    result = score(
        SCALING,
        "Smaller first: a beta in Germany for four weeks, then Brazil if reports stay low.",
    )
    # No "no user in the answer" and no user-focus criterion for an answer to a staging probe.
    assert "no_user_focus" not in {f.key for f in result.failure_modes}
    assert len(result.criteria) == 2


# End to end: a round on a bank question, a main answer that scales too early, the probe, a
# follow-up that fixes it, stored feedback, the feedback page and the summary.


def test_a_follow_up_round_trip_is_scored_against_its_probe(
    client, alice, gtm_bank, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from feedback.models import Feedback
    from questions.models import Question
    from rounds import services
    from rounds.models import Answer
    from tests.rounds_helpers import opened

    question = Question.objects.get(slug="multi-guest-live-localization-safety-norms")
    Question.objects.exclude(pk=question.pk).update(is_published=False)
    round_ = services.start_round(candidate=alice, kinds=["gtm"], count=1)
    main = opened(round_)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_answer(
            answer=main,
            text="Hosts in all three countries want to broadcast with friends, so we launch "
            "multi-guest LIVE to every host in Indonesia, Germany and Brazil on the same day, "
            "with a big creator campaign. Success is 10 million multi-guest views in month one.",
        )
    follow_up = Answer.objects.get(follow_up_of=main)
    assert follow_up.probe_failure_mode == "premature_scaling"
    opened(round_)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_answer(
            answer=Answer.objects.get(pk=follow_up.pk),
            text="Smaller first. I'd start with a beta for hosts in Germany only, where "
            "moderators cover 95% of LIVE hours, for four weeks. We expand to Brazil only if "
            "user reports stay under 2 per 1,000 viewer-minutes.",
        )
    feedback = Feedback.objects.get(answer=follow_up)
    assert feedback.overall >= 4 and feedback.error == ""
    # Pacing is against the follow-up's own three minutes, not the bank question's limit.
    assert "of the 3:00 you had" in feedback.raw["pacing"]
    assert sorted(feedback.criterion_scores.values_list("key", flat=True)) == [
        "probe_concrete",
        "probe_resolved",
    ]
    client.force_login(alice)
    page = client.get(reverse("practice:feedback", args=[round_.pk, follow_up.pk]))
    assert "Fixed: you now give a staged rollout" in page.text
    summary = client.get(reverse("practice:summary", args=[round_.pk]))
    assert "fixed</span>" in summary.text


def test_pacing_is_against_the_rounds_own_time_and_never_changes_the_score(
    alice, gtm_bank, django_capture_on_commit_callbacks
):
    from feedback.models import Feedback
    from questions.models import Question
    from rounds import services
    from tests.rounds_helpers import opened

    question = Question.objects.get(slug="multi-guest-live-localization-safety-norms")
    Question.objects.exclude(pk=question.pk).update(is_published=False)
    overalls = []
    for minutes in (5, 20):
        round_ = services.start_round(
            candidate=alice, kinds=["gtm"], count=1, time_per_question_seconds=minutes * 60
        )
        main = opened(round_)
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_answer(answer=main, text=FIXED_MAIN)
        feedback = Feedback.objects.get(answer=main)
        assert f"of the {minutes}:00 you had" in feedback.raw["pacing"]
        overalls.append(feedback.overall)
    assert overalls[0] == overalls[1]


FIXED_MAIN = (
    "I'd start in Germany, where moderators cover 95% of LIVE hours, with a four-week beta for "
    "hosts who already co-host, and expand to Brazil only if reports stay under 2 per 1,000 "
    "viewer-minutes against a holdout."
)
