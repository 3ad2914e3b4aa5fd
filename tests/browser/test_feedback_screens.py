"""The feedback a candidate reads for a strong, a weak and an off-topic answer, and for a
follow-up, in a real browser: screenshots in artifacts/screenshots/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from feedback import services as feedback_services
from questions.models import Question
from rounds import services
from rounds.models import Answer
from tests.browser.pages import load_bank, sign_in
from tests.scoring_helpers import SHOP_MARKET_ANSWER

pytestmark = pytest.mark.browser

SLUG = "multi-guest-live-localization-safety-norms"
STRONG = (
    "I'd start in Germany only, because in-language moderators already cover 95% of LIVE hours "
    "there and its rules on minors are the strictest, so it tests the hardest case with the "
    "best cover. The users are mid-size hosts who already co-host with friends and want to "
    "bring up to five guests. For six weeks, 10% of eligible German hosts get multi-guest LIVE "
    "and the rest are the holdout. Success is repeat multi-guest sessions per host; we go to "
    "Brazil only if user reports stay under 2 per 1,000 viewer-minutes and removal time meets "
    "the German rule, and Indonesia waits until moderator coverage passes 80%. My "
    "recommendation is to launch this way."
)
WEAK = (
    "Multi-guest LIVE is a great feature, so we should launch it in Indonesia, Germany and "
    "Brazil at the same time with a big campaign. We'll make sure moderation is good and "
    "measure success by the number of views and likes on multi-guest streams."
)
OFF_TOPIC = SHOP_MARKET_ANSWER
FIX = (
    "Smaller first. I'd start with a beta for hosts in Germany only for four weeks, and expand "
    "to Brazil only if user reports stay under 2 per 1,000 viewer-minutes."
)


def answered(candidate, text: str) -> Answer:
    round_ = services.start_round(candidate=candidate, kinds=["gtm"], count=1)
    answer = services.open_answer(answer=round_.answers.get())
    services.submit_answer(answer=answer, text=text)
    feedback_services.score_answer(answer.pk, "heuristic")
    return answer


def feedback_url(answer: Answer) -> str:
    return reverse("practice:feedback", args=[answer.round_id, answer.pk])


def test_feedback_for_strong_weak_off_topic_and_follow_up(page, shoot, check_a11y, alice):
    load_bank()
    Question.objects.exclude(slug=SLUG).update(is_published=False)
    answers = {
        name: answered(alice, text)
        for name, text in (("strong", STRONG), ("weak", WEAK), ("off-topic", OFF_TOPIC))
    }
    weak = answers["weak"]
    follow_up = Answer.objects.get(follow_up_of=weak)
    follow_up = services.open_answer(answer=follow_up)
    services.submit_answer(answer=follow_up, text=FIX)
    feedback_services.score_answer(follow_up.pk, "heuristic")

    sign_in(page, "alice")
    for name, answer in answers.items():
        page.goto(feedback_url(answer))
        expect(page.get_by_text("out of 5")).to_be_visible()
        shoot(page, f"feedback-{name}")
        check_a11y(page)
    page.goto(feedback_url(answers["off-topic"]))
    expect(page.get_by_role("heading", name="Does not answer the question")).to_be_visible()
    page.goto(feedback_url(follow_up))
    expect(page.get_by_text("Fixed: you now give a staged rollout")).to_be_visible()
    shoot(page, "feedback-follow-up")
    check_a11y(page)
