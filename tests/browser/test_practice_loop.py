"""The practice loop in a real browser: practise a question from its page or the bank, retry
it after fixing the flagged failure and see it fixed, and a fix-it drill that clears a finding.
Screenshots in artifacts/screenshots/."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from attempts.models import Drill
from coaching import services as coaching_services
from feedback import services as feedback_services
from questions.models import Question
from rounds import services
from rounds.models import Answer
from tests.browser.pages import answer_and_follow_up, load_bank, sign_in, start_clock
from tests.coaching_helpers import link
from tests.test_attempts_views import FIRST, FLAGGED, OTHER, RETRY, SCALING, SLUG, STAGED

pytestmark = pytest.mark.browser


def test_practise_a_question_then_retry_it_and_see_the_failure_fixed(
    page, shoot, check_a11y, alice
):
    load_bank()
    sign_in(page, "alice")
    page.goto(reverse("questions:detail", args=[SLUG]))
    expect(page.get_by_text("You have not answered this question yet.")).to_be_visible()
    check_a11y(page)
    shoot(page, "question-page")

    page.get_by_role("button", name="Practise this question").click()
    start_clock(page)
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    check_a11y(page)
    shoot(page, "practice-answer")
    answer_and_follow_up(page, FIRST)
    expect(page.get_by_role("heading", name=SCALING)).to_be_visible()
    expect(page.get_by_text("This is your first scored attempt")).to_be_visible()
    check_a11y(page)
    shoot(page, "first-feedback")

    page.get_by_role("button", name="Retry this question").click()
    start_clock(page)
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    check_a11y(page)
    answer_and_follow_up(page, RETRY)
    fixed = page.locator(".change-fixed").filter(has_text=SCALING)
    expect(fixed).to_be_visible()
    expect(fixed).to_contain_text("Fixed")
    expect(
        page.get_by_role("table", name="Scores by criterion, attempt 1 and this one")
    ).to_be_visible()
    expect(page.locator(".word-diff del")).to_contain_text(["every market at once"])
    expect(page.locator(".attempt-history li")).to_have_count(2)
    check_a11y(page)
    shoot(page, "retry-feedback-compared")

    # The question's page now lists both attempts.
    page.goto(reverse("questions:detail", args=[SLUG]))
    expect(page.get_by_role("link", name="Attempt 2")).to_be_visible()
    check_a11y(page)
    shoot(page, "question-page-with-attempts")


def test_practise_questions_picked_on_the_bank(page, shoot, check_a11y, alice):
    load_bank()
    sign_in(page, "alice")
    page.goto(reverse("questions:bank") + "?kind=gtm")
    titles = Question.objects.filter(slug__in=[SLUG, OTHER]).values_list("title", flat=True)
    for title in titles:
        page.get_by_label(f"Practise this one: {title}").check()
    check_a11y(page)
    shoot(page, "bank-picked")
    page.get_by_role("button", name="Practise these").click()
    start_clock(page)
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    check_a11y(page)

    # Nothing picked: a clear message, and no round.
    page.goto(reverse("questions:bank"))
    page.get_by_role("button", name="Practise these").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one question")
    check_a11y(page)
    shoot(page, "bank-nothing-picked")


def scored_answer(candidate, text: str) -> Answer:
    question = Question.objects.get(slug=SLUG)
    round_ = services.start_practice(candidate=candidate, questions=[question])
    answer = services.open_answer(answer=round_.answers.get())
    services.submit_answer(answer=answer, text=text)
    feedback_services.score_answer(answer.pk, "heuristic")
    return answer


def test_redo_from_a_coach_comment(page, shoot, check_a11y, alice, bob):
    load_bank()
    answer = scored_answer(alice, FIRST)
    link(alice, bob)
    review = coaching_services.start_review(answer=answer, coach=bob)
    coaching_services.add_comment(
        review=review, answer_id=answer.pk, text="Redo this with a 10% holdout in one market."
    )
    coaching_services.mark_reviewed(review=review, comment="Good start; stage the launch.")
    sign_in(page, "alice")
    page.goto(reverse("coaching:review", args=[review.pk]))
    expect(page.get_by_text("Redo this with a 10% holdout")).to_be_visible()
    check_a11y(page)
    shoot(page, "coach-review-with-redo")

    page.get_by_role("link", name="Redo this").first.click()
    expect(page.get_by_role("heading", name="Retry")).to_be_visible()
    expect(page.get_by_role("link", name="Attempt 1")).to_be_visible()
    check_a11y(page)
    shoot(page, "retry-page")
    page.get_by_role("button", name="Start the retry").click()
    start_clock(page)
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    mains = Answer.objects.filter(candidate=alice, follow_up_of__isnull=True)
    assert mains.filter(question=answer.question).count() == 2

    # The attempts pages on their own, as links without JavaScript reach them.
    page.goto(reverse("attempts:compare", args=[answer.pk]))
    expect(page.get_by_text("This is your first scored attempt")).to_be_visible()
    check_a11y(page)
    page.goto(reverse("attempts:history", args=[SLUG]))
    expect(page.get_by_role("link", name="Attempt 1")).to_be_visible()
    check_a11y(page)


def test_a_fix_it_drill_clears_a_finding(page, shoot, check_a11y, alice):
    load_bank()
    answer = scored_answer(alice, FIRST)
    sign_in(page, "alice")
    page.goto(reverse("practice:feedback", args=[answer.round_id, answer.pk]))
    expect(page.get_by_text("out of 5")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name=f"Fix it: rewrite this passage ({SCALING})").click()
    box = page.get_by_label("Your rewrite of the flagged passage")
    expect(box).to_have_value(FLAGGED.strip())
    expect(box).to_be_focused()
    expect(page.locator(".drill-context").first).to_contain_text("independent creators")
    check_a11y(page)
    shoot(page, "drill-form")

    box.fill(STAGED.strip())
    started = time.monotonic()
    page.get_by_role("button", name="Rescore my answer").click()
    verdict = page.get_by_role("status").filter(has_text="Cleared")
    expect(verdict).to_contain_text(f"Cleared: {SCALING} is no longer found.")
    print(f"drill rescored and shown in {time.monotonic() - started:.2f} s")
    check_a11y(page)
    shoot(page, "drill-cleared")
    drill = Drill.objects.get()
    assert drill.cleared and drill.answer_id == answer.pk
    assert Answer.objects.get(pk=answer.pk).text == FIRST

    # The drill is kept in the question's attempt history.
    page.reload()
    history = page.locator(".attempt-history")
    expect(history).to_contain_text(f"Fix-it drill on {SCALING}")
    expect(history).to_contain_text("cleared")
    check_a11y(page)
    shoot(page, "drill-in-history")

    # Without htmx the drill is a page of its own.
    page.goto(reverse("attempts:drill", args=[answer.pk, "premature_scaling"]))
    expect(page.get_by_role("heading", name=f"Fix-it drill: {SCALING}")).to_be_visible()
    check_a11y(page)
    shoot(page, "drill-page")
