"""The strong answer to compare with: hidden while the candidate answers, shown on the feedback
page once the attempt is over, each sentence tagged with the criteria it meets."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from questions.models import Question
from tests.browser.pages import (
    DRAFT,
    FOLLOW_UP,
    REST,
    load_bank,
    shown_answer,
    sign_in,
    start_clock,
)

pytestmark = pytest.mark.browser

SLUG = "multi-guest-live-localization-safety-norms"
HEADING = "A strong answer to compare with"


def test_a_candidate_answers_then_compares_with_the_strong_answer(
    page: Page, shoot, check_a11y, alice
):
    load_bank()
    Question.objects.exclude(slug=SLUG).update(is_published=False)
    sign_in(page, "alice")

    # Neither the question's page nor the round while answering gives it away.
    page.goto(reverse("questions:detail", args=[SLUG]))
    expect(page.get_by_role("heading", name=HEADING)).to_have_count(0)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mock rounds").click()
    page.get_by_role("link", name="Start a round").click()
    page.get_by_label("Go-to-market").check()
    page.get_by_label("Number of questions").fill("1")
    page.get_by_role("button", name="Start the round").click()
    start_clock(page)
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    main = shown_answer(page)
    page.get_by_label("Your answer").fill(DRAFT + REST)
    expect(page.get_by_role("heading", name=HEADING)).to_have_count(0)
    page.get_by_role("button", name="Submit answer").click()

    # Not while the follow-up is still to answer, even on the main answer's feedback page.
    expect(page.get_by_role("heading", name="The interviewer asks")).to_be_visible()
    follow_up_url = page.url
    feedback_url = reverse("practice:feedback", args=[main.round_id, main.pk])
    page.goto(feedback_url)
    expect(page.get_by_role("heading", name="Feedback")).to_be_visible()
    expect(page.get_by_role("heading", name=HEADING)).to_have_count(0)
    page.goto(follow_up_url)
    page.get_by_label("Your answer").fill(FOLLOW_UP)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("mark.evidence").first).to_be_visible(timeout=30_000)

    # The feedback page: the candidate's scores, then the strong answer, collapsed.
    page.goto(feedback_url)
    expect(page.get_by_text("out of 5").first).to_be_visible(timeout=30_000)
    section = page.get_by_role("region", name=HEADING)
    expect(section).to_be_visible()
    marks = section.locator("mark.credit")
    expect(marks.first).to_be_hidden()
    section.get_by_text("Show the strong answer, marked by criterion").click()
    expect(marks.first).to_be_visible()
    expect(section.locator(".credit-tag").first).to_contain_text("criteria")
    criteria = section.get_by_role("list").filter(has_text="Where:").locator("> li")
    expect(criteria).to_have_count(6)  # gtm-strategy's six criteria, each met somewhere
    expect(criteria.first).to_contain_text("Audience and value")
    shoot(page, "feedback-with-strong-answer")
    section.evaluate("element => element.scrollIntoView({block: 'start'})")
    shoot(page, "strong-answer-close-up", full_page=False)
    check_a11y(page)

    # A mark leads to the note on its criterion.
    section.locator("mark.credit a").first.click()
    expect(page.locator(".criteria-met li:target")).to_have_count(1)
