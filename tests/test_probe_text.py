"""Probes quote what the candidate said, or ask a generic version; they never assert facts the
candidate did not state."""

from questions.models import Question
from rounds import probes, services
from rounds.models import Answer
from tests.rounds_helpers import opened


def test_a_probe_asserting_what_nobody_said_is_not_grounded():
    question = Question(prompt="How would you reduce misinformation on health videos?", context="")
    answer = "I'd add labels to health videos and measure whether people share them less."
    assert not probes.grounded(
        "Labels were added to 2 million videos. Has anything improved?", answer, question
    )
    assert probes.grounded("Labels went on. Has anything improved?", answer, question)
    assert not probes.grounded(
        "You are sure it's the ranking model. What evidence would prove you wrong?",
        answer,
        question,
    )
    assert probes.grounded("What would you validate first, and where?", answer, question)


def test_sentence_around_quotes_the_whole_sentence():
    text = "First point. We launch everywhere at once with a big push. Then we see."
    start = text.index("everywhere")
    assert (
        probes.sentence_around(text, start, start + 10)
        == "We launch everywhere at once with a big push"
    )


def test_the_follow_up_quotes_the_candidates_sentence(alice, gtm_bank):
    question = Question.objects.get(slug="multi-guest-live-localization-safety-norms")
    Question.objects.exclude(pk=question.pk).update(is_published=False)
    round_ = services.start_round(candidate=alice, kinds=["gtm"], count=1)
    main = opened(round_)
    services.submit_answer(
        answer=main,
        text="Hosts want to broadcast with friends. We launch multi-guest LIVE to every host in "
        "Indonesia, Germany and Brazil on the same day. Success is user reports staying under "
        "2 per 1,000 viewer-minutes, against a holdout, with moderators staffed first.",
    )
    follow_up = Answer.objects.get(follow_up_of=main)
    assert follow_up.prompt.startswith(
        "You said: “We launch multi-guest LIVE to every host in Indonesia, Germany and Brazil "
        "on the same day”."
    )
    assert follow_up.probe_failure_mode == "premature_scaling"
