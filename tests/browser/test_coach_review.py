"""A coach reviews a candidate's transcript in a real browser, and the candidate reads it."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback
from rounds import services
from tests.browser.pages import DRAFT, REST, load_bank, sign_in
from tests.workers import wait_for

pytestmark = pytest.mark.browser

COMMENT = "Which market would you pick first, and what result would make you add the next one?"


def scored_answer(candidate, scoring):
    """A one-question round the candidate has answered, once its feedback is stored."""
    round_ = services.start_round(candidate=candidate, kinds=["gtm"], count=1)
    answer = services.open_answer(answer=round_.answers.get())
    services.submit_answer(answer=answer, text=DRAFT + REST)
    workers = [scoring] if scoring else []
    wait_for(lambda: Feedback.objects.filter(answer=answer).exists(), 30, "feedback", *workers)
    return answer


def test_a_coach_reviews_a_transcript_and_the_candidate_sees_it(
    new_context, shoot, alice, bob, scoring
):
    load_bank()
    answer = scored_answer(alice, scoring)

    # The candidate invites a coach.
    candidate = new_context().new_page()
    sign_in(candidate, "alice")
    candidate.get_by_role("link", name="My coaches").click()
    candidate.get_by_role("button", name="Invite a coach").click()
    invite_link = candidate.get_by_label("Invite link").input_value()

    # The coach accepts it and finds the transcript in the queue.
    coach = new_context().new_page()
    sign_in(coach, "bob")
    coach.goto(invite_link)
    coach.get_by_role("button", name="Accept invite from alice").click()
    expect(coach.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(coach.get_by_text("You now coach alice.")).to_be_visible()
    row = coach.get_by_role("row").filter(has_text="alice")
    expect(row).to_contain_text("To review")
    shoot(coach, "coach-queue")
    row.get_by_role("link", name=answer.question.title).click()

    # A comment on a passage the scorer marked as evidence.
    expect(coach.get_by_role("heading", name=answer.question.title)).to_be_visible()
    passage = coach.locator("mark.evidence").first.inner_text()
    coach.get_by_role("link", name=re.compile(r"^Comment on this passage")).first.click()
    expect(coach.locator("#passage-quote")).to_have_text(passage)
    coach.get_by_label("Comment", exact=True).fill(COMMENT)
    coach.get_by_role("button", name="Add comment").click()
    expect(coach.get_by_text("Comment added.")).to_be_visible()
    coach.get_by_label("Overall comment").fill("A clear start; now make the launch earn its reach.")
    coach.get_by_role("button", name="Mark reviewed").click()
    expect(coach.get_by_text("Review sent to alice.")).to_be_visible()
    # The review panel flows with the page: show the comment in it.
    coach.get_by_text(COMMENT).scroll_into_view_if_needed()
    shoot(coach, "coach-transcript-with-comment", full_page=False)

    # The candidate is told, and reads the comment beside the passage it is about.
    candidate.reload()
    candidate.get_by_role("link", name=re.compile(r"^Notifications")).click()
    candidate.get_by_role("link", name=re.compile("bob")).first.click()
    review = candidate.get_by_role("article", name="Review by bob")
    expect(review.locator("blockquote")).to_have_text(passage)
    expect(review).to_contain_text(COMMENT)
    shoot(candidate, "candidate-sees-review")
