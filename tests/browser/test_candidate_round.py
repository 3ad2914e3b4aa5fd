"""A candidate's round in a real browser, from sign-up to the summary."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rounds.models import Answer
from tests.browser.pages import (
    DRAFT,
    FOLLOW_UP,
    REST,
    load_bank,
    shown_answer,
    sign_in,
    sign_up,
    start_round,
)

pytestmark = pytest.mark.browser


def test_a_candidate_signs_up_and_runs_a_two_question_round(page: Page, shoot):
    load_bank()
    sign_up(page, shoot, "dana")
    start_round(page, shoot, questions=2)

    # Part of an answer, autosaved while typing; a reload brings it back.
    box = page.get_by_label("Your answer")
    box.fill(DRAFT)
    expect(page.get_by_text("Saved at")).to_be_visible()
    assert shown_answer(page).draft == DRAFT
    page.reload()
    expect(page.get_by_label("Your answer")).to_have_value(DRAFT)
    shoot(page, "answer-with-draft")

    # The whole answer, then the interviewer's follow-up.
    box = page.get_by_label("Your answer")
    box.fill(DRAFT + REST)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="The interviewer asks")).to_be_visible()
    shoot(page, "follow-up")
    page.get_by_label("Your answer").fill(FOLLOW_UP)
    page.get_by_role("button", name="Submit answer").click()

    # Feedback on the question, with the evidence marked in the candidate's own words.
    evidence = page.locator("mark.evidence")
    expect(evidence.first).to_be_visible(timeout=30_000)
    expect(evidence.filter(has_text="page views").first).to_be_visible()
    expect(page.get_by_role("heading", name="Vanity metrics as the goal").first).to_be_visible()
    shoot(page, "feedback")

    # The second question runs out of time. A question's limit is a minute at the least, so
    # the test moves the clock in the database: started a whole limit ago, 5 seconds left.
    page.get_by_role("link", name="Next question").click()
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    answer = shown_answer(page)
    deadline = timezone.now() + timedelta(seconds=5)
    Answer.objects.filter(pk=answer.pk).update(
        deadline=deadline, started_at=deadline - timedelta(seconds=answer.time_limit_seconds)
    )
    page.reload()
    expect(page.get_by_role("timer")).to_contain_text("00:0")
    page.get_by_label("Your answer").fill(DRAFT)

    # Nobody clicks: at zero the page submits the answer, and the follow-up says so.
    notice = page.get_by_role("status").filter(has_text="Time ran out")
    expect(notice).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="The interviewer asks")).to_be_visible()
    shoot(page, "auto-submitted")
    answer.refresh_from_db()
    assert answer.text == DRAFT
    assert answer.submitted_at >= answer.deadline

    page.get_by_label("Your answer").fill(FOLLOW_UP)
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_role("link", name="Finish and see the summary").click()

    # The summary: both questions scored, and the failure modes seen across the round.
    expect(page.get_by_role("heading", name="Round summary")).to_be_visible()
    expect(page.get_by_text("still being scored")).to_have_count(0, timeout=30_000)
    rows = page.get_by_role("table", name="Scores and time").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("/ 5")
    expect(rows.nth(1)).to_contain_text("/ 5")
    expect(page.get_by_text("Vanity metrics as the goal")).to_be_visible()
    shoot(page, "summary")


def test_without_javascript_a_candidate_can_save_and_submit(new_context, shoot, alice):
    load_bank()
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "alice")
    start_round(page, shoot, questions=1)

    page.get_by_label("Your answer").fill(DRAFT)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved at")).to_be_visible()
    expect(page.get_by_label("Your answer")).to_have_value(DRAFT)
    page.get_by_label("Your answer").fill(DRAFT + REST)
    page.get_by_role("button", name="Submit answer").click()

    expect(page.get_by_role("heading", name="The interviewer asks")).to_be_visible()
    page.get_by_label("Your answer").fill(FOLLOW_UP)
    page.get_by_role("button", name="Submit answer").click()

    # Without JavaScript nothing polls: the candidate follows "Check again" until it is scored.
    evidence = page.locator("mark.evidence")
    deadline = time.monotonic() + 30
    while not evidence.count() and time.monotonic() < deadline:
        check_again = page.get_by_role("link", name="Check again")
        if check_again.count():
            check_again.first.click()
        time.sleep(0.5)
    expect(evidence.first).to_be_visible()
    shoot(page, "feedback-without-javascript")
