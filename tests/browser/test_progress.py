"""Progress and the plan in a real browser: the charts after three scored rounds, and the plan
that aims the next round at the candidate's most frequent failure mode. Screenshots in
artifacts/screenshots/."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback import services as feedback_services
from feedback.models import FailureModeHit
from questions.models import Probe, Question
from rounds import services
from rounds.models import Round
from rubrics.models import FailureMode
from tests.browser.pages import DRAFT, REST, load_bank, sign_in, start_clock
from tests.browser.test_feedback_screens import SLUG, STRONG, WEAK
from tests.progress_helpers import scored_round

pytestmark = pytest.mark.browser


def scored_one_question_round(candidate, text: str) -> None:
    """A finished one-question go-to-market round, its answer scored by the heuristic scorer."""
    round_ = services.start_round(candidate=candidate, kinds=["gtm"], count=1)
    answer = services.open_answer(answer=round_.answers.get())
    services.submit_answer(answer=answer, text=text)
    feedback_services.score_answer(answer.pk, "heuristic")
    services.finish_round(round_=round_)


def test_progress_after_three_scored_rounds(page, shoot, check_a11y, alice):
    load_bank()
    # The three answers are written for this question: weak, weak, then strong.
    Question.objects.exclude(slug=SLUG).update(is_published=False)
    for text in (WEAK, DRAFT + REST, STRONG):
        scored_one_question_round(alice, text)
    seen = Counter(
        FailureModeHit.objects.filter(feedback__answer__candidate=alice).values_list(
            "failure_mode__title", flat=True
        )
    )
    most = max(seen.values())
    top = sorted(
        FailureMode.objects.filter(title__in=[t for t, n in seen.items() if n == most])
        .order_by("key")
        .values_list("title", flat=True)
    )[0]

    sign_in(page, "alice")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mock rounds").click()
    expect(page.get_by_role("columnheader", name="Score")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="not scored")).to_have_count(0)
    shoot(page, "rounds-list")
    check_a11y(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    chart = page.get_by_role("img", name="Overall score of your last 3 rounds")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(3)
    table = page.get_by_role("table", name="Overall score of each round")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_role("img", name="How many of your last 3 answers")).to_be_visible()
    next_up = page.get_by_role("region", name="Work on this next")
    expect(next_up.get_by_text(top)).to_be_visible()
    expect(next_up.get_by_role("link").first).to_be_visible()
    shoot(page, "progress")
    check_a11y(page)

    page.get_by_label("Count the last").select_option("10")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url("/progress/?n=10")
    expect(page.get_by_label("Count the last")).to_have_value("10")
    check_a11y(page)


def test_the_plan_aims_at_the_most_frequent_failure_mode(page, shoot, check_a11y, alice):
    load_bank()
    scaling = FailureMode.objects.get(key="premature_scaling")
    plain = Question.objects.filter(kind="gtm").exclude(probes__failure_mode=scaling).first()
    now = timezone.now()
    # Premature scaling in three of the last four answers, vanity metrics in one; nothing is
    # due again yet (the weak answers are an hour old).
    for i, modes in enumerate(
        [["premature_scaling"], ["premature_scaling", "vanity_metrics"], [], ["premature_scaling"]]
    ):
        scored_round(alice, [(plain, 3.5, modes)], at=now - timedelta(hours=1, minutes=4 - i))

    sign_in(page, "alice")
    page.goto("/rounds/")
    page.get_by_role("link", name="Next round for me").click()
    expect(page.get_by_role("heading", name="Next round for me")).to_be_visible()
    first = page.get_by_role("listitem").filter(has_text="Scaling before the value is validated")
    expect(first.first).to_contain_text(
        "“Scaling before the value is validated” showed up in 3 of your last 4 answers; "
        "it is this question's typical trap."
    )
    shoot(page, "plan")
    check_a11y(page)

    title = first.first.get_by_role("heading").get_by_role("link").inner_text()
    picked = Question.objects.get(title=title)
    assert Probe.objects.filter(question=picked, failure_mode=scaling).exists()

    page.get_by_role("button", name="Start this round").click()
    start_clock(page)
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    round_ = Round.objects.filter(candidate=alice).latest("created_at")
    assert round_.answers.get(position=1).question == picked
    shoot(page, "plan-round-started")
    check_a11y(page)
