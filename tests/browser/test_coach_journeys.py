"""Issue 12 in a real browser: an invite through sign-up, a comment on any passage with the
keyboard alone, a flag in the coach's own words and a changed score that the candidate reads,
the queue on a phone, and axe-core on every coaching page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coaching import services
from coaching.models import ReviewComment
from tests.browser.pages import sign_in
from tests.coaching_helpers import MAIN_TEXT, link, transcript
from tests.factories import PASSWORD, CoachLinkFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def scoring():
    """No worker: the transcripts here are stored already scored (tests/coaching_helpers.py)."""
    return None


OWN_TITLE = "No guardrail on team-goal pressure"


def test_a_signed_out_coach_follows_an_invite_signs_up_and_lands_on_it_accepted(
    page: Page, shoot, check_a11y, alice
):
    invite = CoachLinkFactory(candidate=alice, coach=None)
    page.goto(invite.get_invite_url())
    expect(page.get_by_text("alice invites you to be their coach")).to_be_visible()
    check_a11y(page)
    shoot(page, "invite-signed-out")
    page.get_by_role("link", name="Sign up to accept").click()

    page.get_by_label("Username").fill("dora")
    page.get_by_label("Email").fill("dora@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    expect(page.get_by_label("I coach candidates")).to_be_checked()  # chosen by the invite
    check_a11y(page)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="You coach alice")).to_be_visible()
    expect(page.get_by_text("You now coach alice.")).to_be_visible()
    assert page.url.endswith(invite.get_invite_url())
    check_a11y(page)
    shoot(page, "invite-accepted")
    page.get_by_role("link", name="Review alice's answers").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_coach_comments_on_any_passage_with_the_keyboard_alone(
    page: Page, shoot, check_a11y, alice, bob
):
    link(alice, bob)
    main = transcript(alice)
    sign_in(page, "bob")
    page.goto(reverse("coaching:transcript", args=[main.pk]))
    check_a11y(page)

    # From here on, only the keyboard.
    tab_to(page, f'.answer-text[data-answer="{main.pk}"]')
    page.keyboard.press("ArrowRight")  # the first sentence
    page.keyboard.press("ArrowRight")  # the second
    page.keyboard.press("Shift+ArrowRight")  # and the third with it
    passage = "Success is views and likes on the launch video. Then we see what happens."
    assert passage in MAIN_TEXT
    expect(page.locator(f"#passage-status-{main.pk}")).to_contain_text("Selected 2 sentences")
    shoot(page, "keyboard-passage-selected", full_page=False)
    page.keyboard.press("Enter")
    expect(page.locator("#comment-text")).to_be_focused()
    expect(page.locator("#passage-quote")).to_have_text(passage)
    page.keyboard.type("What result would tell you the launch worked, and by when?")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add comment")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Comment added.")).to_be_visible()
    comments = page.locator("#comments .comment-list")
    expect(comments.locator("blockquote")).to_have_text(passage)
    expect(comments).to_contain_text("What result would tell you the launch worked")
    stored = ReviewComment.objects.get()
    start = MAIN_TEXT.index(passage)
    assert (stored.start, stored.end, stored.quote) == (start, start + len(passage), passage)
    check_a11y(page)
    shoot(page, "keyboard-comment-added")


def test_the_candidate_reads_a_changed_score_and_a_flag_in_the_coachs_words(
    new_context, shoot, check_a11y, alice, bob
):
    link(alice, bob)
    main = transcript(alice)
    coach = new_context().new_page()
    sign_in(coach, "bob")
    coach.goto(reverse("coaching:transcript", args=[main.pk]))

    coach.get_by_label("Staged launch", exact=True).select_option("4")
    coach.get_by_role("button", name="Save scores").click()
    expect(coach.get_by_text("Scores saved (1 changed).")).to_be_visible()
    coach.get_by_text("None of these? Flag the answer in your own words").click()
    coach.get_by_label("Short title for the answer").fill(OWN_TITLE)
    coach.get_by_label("Reason for this flag on the answer").fill(
        "Nothing stops the team from gaming the launch target."
    )
    coach.get_by_role("button", name="Add your flag to the answer").click()
    expect(coach.get_by_text(f"“{OWN_TITLE}” added.")).to_be_visible()
    coach.get_by_label("Overall comment").fill("Stage the launch and guard the target.")
    coach.get_by_role("button", name="Mark reviewed").click()
    expect(coach.get_by_text("Review sent to alice.")).to_be_visible()
    check_a11y(coach)
    shoot(coach, "coach-review-panel")

    candidate = new_context().new_page()
    sign_in(candidate, "alice")
    candidate.goto(reverse("practice:answer", args=[main.round_id, main.pk]))
    summary = candidate.get_by_role("article", name=re.compile(r"^bob, "))
    expect(summary).to_contain_text("1 score changed, 1 flag added.")
    expect(summary).to_contain_text(
        "Staged launch: the coach scores it 4 out of 5, where the scorer gave 2"
    )
    expect(summary).to_contain_text(f"Flag added: {OWN_TITLE} (in the coach's words)")
    check_a11y(candidate)
    shoot(candidate, "candidate-review-summary")
    summary.get_by_role("link", name="Read the full review by bob").click()
    review = candidate.get_by_role("article", name="Review by bob")
    expect(review).to_contain_text(f"{OWN_TITLE}: flagged by the coach.")
    check_a11y(candidate)


def test_the_queue_fits_a_phone(new_context, shoot, check_a11y, alice, bob):
    link(alice, bob)
    for title in ("Launch in a new market", "Pick the first segment", "Price the pro tier"):
        transcript(
            alice,
            title=title,
            hits={
                "premature_scaling": ["We launch worldwide on day one"],
                "vanity_metrics": ["views and likes"],
                "no_measurement_plan": ["Then we see what happens"],
            },
        )
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    sign_in(phone, "bob")
    phone.goto(reverse("coaching:queue"))
    expect(phone.get_by_role("link", name="Price the pro tier")).to_be_visible()
    # Every part of a card is on screen: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    for card in phone.locator(".queue-table tbody tr").all():
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, "a card is cut off"
    for pill in phone.locator(".pills .flag").all():
        box = pill.bounding_box()
        assert box and box["height"] < 2 * 22, "a pill broke across lines"  # one line of text
    check_a11y(phone)
    shoot(phone, "queue-phone-390")


def test_every_coaching_page_passes_axe(new_context, check_a11y, alice, bob, admin_user):
    link(alice, bob)
    main = transcript(alice)
    review = services.start_review(answer=main, coach=bob)
    services.add_own_flag(review=review, answer_id=main.pk, title=OWN_TITLE, reason="Because.")
    services.mark_reviewed(review=review, comment="Good.")
    pending = CoachLinkFactory(candidate=alice, coach=None)

    coach = new_context().new_page()
    sign_in(coach, "bob")
    for url in (
        reverse("coaching:queue"),
        reverse("coaching:transcript", args=[main.pk]),
        reverse("coaching:round", args=[main.round_id]),
        reverse("coaching:candidates"),
        reverse("coaching:notifications"),
        reverse("coaching:accept_code"),
        pending.get_invite_url(),
        reverse("coaching:print", args=[main.pk]),
    ):
        coach.goto(url)
        check_a11y(coach)

    candidate = new_context().new_page()
    sign_in(candidate, "alice")
    for url in (reverse("coaching:my_coaches"), reverse("coaching:review", args=[review.pk])):
        candidate.goto(url)
        check_a11y(candidate)
    candidate.goto(reverse("coaching:my_coaches"))
    candidate.get_by_label("Coach's email address").fill("not-an-address")
    candidate.get_by_role("button", name="Email the invite").click()
    expect(candidate.get_by_text("Enter an email address such as")).to_be_visible()
    check_a11y(candidate)

    admin = new_context().new_page()
    sign_in(admin, admin_user.username)
    for url in (reverse("coaching:agreement"), reverse("coaching:assign")):
        admin.goto(url)
        check_a11y(admin)
