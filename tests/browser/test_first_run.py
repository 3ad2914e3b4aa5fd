"""The first run in a real browser: from the home page to a started round through the ready
screen, ending a round only once confirmed, the header at laptop and phone widths, and axe-core
on every page a candidate sees."""

import re
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from rounds import services
from rounds.models import Answer, Round
from tests.browser.conftest import screenshot_path
from tests.browser.pages import DRAFT, load_bank, sign_in, sign_up
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scoring():
    """No worker: the demo data is scored when it is made, and these tests wait on no feedback."""
    return None


def header_height(page: Page) -> float:
    return page.locator(".site-nav").bounding_box()["height"]


def shoot_header(page: Page, request, step: str) -> None:
    page.locator(".site-header").screenshot(path=screenshot_path(request.node.name, step))


def test_first_run_from_home_to_a_started_round(page: Page, shoot, check_a11y, request):
    load_bank()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rehearse product-manager")
    expect(page.get_by_text("timed mock rounds")).to_be_visible()
    check_a11y(page)
    shoot(page, "home-signed-out-1280")

    page.get_by_role("link", name="Sign up and start a round").click()
    sign_up(page, shoot, "dana", go=False)
    expect(page).to_have_url(re.compile(r"/$"))  # back at the round start
    shoot(page, "home-signed-in-1280")
    shoot_header(page, request, "header-1280")
    assert header_height(page) < 70, "the header takes more than one row at 1280 px"

    page.get_by_role("button", name="Start a short round").click()
    expect(page.get_by_role("heading", name="Ready when you are")).to_be_visible()
    expect(page.get_by_text("1 question ·")).to_be_visible()
    expect(page.get_by_text("The clock starts when you press")).to_be_visible()
    answer = Answer.objects.get(candidate__username="dana")
    assert answer.started_at is None  # reading the ready screen costs no time
    check_a11y(page)
    shoot(page, "ready-1280")

    page.get_by_role("button", name="Start the clock").click()
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    expect(page.locator("[data-timer-clock]")).to_have_text(re.compile(r"^(10:00|09:5\d)$"))
    answer.refresh_from_db()
    assert answer.started_at is not None and answer.time_limit_seconds == 600
    shoot(page, "started-round-1280")


def test_ending_a_round_asks_first_in_a_dialog_that_keeps_what_was_typed(
    page: Page, shoot, check_a11y
):
    load_bank()
    UserFactory(username="dana", role="candidate")
    sign_in(page, "dana")
    page.get_by_role("button", name="Start a short round").click()
    page.get_by_role("button", name="Start the clock").click()
    page.get_by_label("Your answer").fill(DRAFT)

    # Keyboard only: the link opens the dialog, Escape closes it and gives focus back.
    end = page.get_by_role("link", name="End the round now…")
    end.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="End the round now?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Keep answering")).to_be_focused()
    check_a11y(page)
    shoot(page, "end-round-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(end).to_be_focused()
    round_ = Round.objects.get(candidate__username="dana")
    assert not round_.is_finished

    # Confirmed: the text in the box goes with the form, even if no autosave has landed.
    end.click()
    dialog.get_by_role("button", name="End the round").click()
    expect(page.get_by_role("heading", name="Round summary")).to_be_visible()
    answer = round_.answers.get(follow_up_of__isnull=True)
    assert answer.text == DRAFT and answer.auto_submitted


def test_without_javascript_ending_a_round_asks_on_its_own_page(new_context):
    load_bank()
    dana = UserFactory(username="dana", role="candidate")
    round_ = services.start_round(candidate=dana, kinds=["gtm"], count=1)
    services.begin_round(round_=round_)
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "dana")
    page.goto(round_.get_absolute_url())

    page.get_by_role("link", name="End the round now…").click()
    expect(page.get_by_role("heading", name="End the round now?")).to_be_visible()
    # (axe-core needs JavaScript: the page is checked in test_every_candidate_page_passes_axe.)
    page.get_by_role("link", name="Keep answering").click()
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    round_.refresh_from_db()
    assert not round_.is_finished

    page.get_by_role("link", name="End the round now…").click()
    page.get_by_role("button", name="End the round").click()
    expect(page.get_by_role("heading", name="Round summary")).to_be_visible()
    round_.refresh_from_db()
    assert round_.is_finished


def test_the_header_fits_a_laptop_and_folds_on_a_phone(new_context, shoot, request):
    load_bank()
    call_command("create_demo_accounts")  # notifications for the candidate, links for the admin
    for username in ("candidate", "admin"):
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()

    laptop = new_context().new_page()
    sign_in(laptop, "admin")  # the most links of any role
    assert header_height(laptop) < 70, "the header takes more than one row at 1280 px"
    laptop_nav = laptop.get_by_role("navigation", name="Main")
    expect(laptop_nav.get_by_role("button", name="Menu")).to_be_hidden()
    expect(laptop_nav.get_by_role("link", name="Curate")).to_be_visible()
    shoot_header(laptop, request, "header-admin-1280")

    phone = new_context(viewport=PHONE).new_page()
    phone.goto("/")  # signed out: four links, no menu needed
    expect(phone.get_by_role("link", name="Sign up", exact=True)).to_be_visible()
    assert header_height(phone) < 70, "the signed-out header takes more than one row at 390 px"
    shoot(phone, "home-signed-out-390", full_page=False)
    phone.goto("/accounts/login/")
    phone.get_by_label("Username:").fill("candidate")
    phone.get_by_label("Password:").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    nav = phone.get_by_role("navigation", name="Main")
    menu = nav.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread"))).to_be_visible()
    expect(nav.get_by_role("link", name="Question bank")).to_be_hidden()
    assert header_height(phone) < 70, "the closed header takes more than one row at 390 px"
    shoot(phone, "home-390")
    shoot_header(phone, request, "header-390")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Question bank")).to_be_visible()
    nav.get_by_text("Signed in as candidate").click()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    shoot(phone, "header-menu-open-390", full_page=False)
    phone.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()

    nav.get_by_role("button", name="Menu").click()
    nav.get_by_role("link", name="Question bank").click()
    expect(phone.get_by_role("heading", name="Question bank")).to_be_visible()
    shoot(phone, "bank-390", full_page=False)
    round_ = services.start_round(
        candidate=User.objects.get(username="candidate"), kinds=["gtm"], count=2
    )
    phone.goto(round_.get_absolute_url())
    expect(phone.get_by_role("heading", name="Ready when you are")).to_be_visible()
    shoot(phone, "ready-390")

    laptop.goto("/questions/")
    shoot(laptop, "bank-1280", full_page=False)


def test_every_candidate_page_passes_axe(page: Page, check_a11y, shoot):
    """Home, bank, question, sources, rounds list, new round, ready screen, round page, the
    confirmation, summary, transcript and feedback: no critical or serious axe-core violation."""
    load_bank()
    call_command("create_demo_accounts")
    candidate = User.objects.get(username="candidate")
    candidate.set_password(PASSWORD)
    candidate.save()
    page.goto("/")
    check_a11y(page)
    sign_in(page, "candidate")

    def visit(url: str, heading: str | re.Pattern) -> None:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_a11y(page)

    finished = Round.objects.filter(candidate=candidate, finished_at__isnull=False).first()
    reviewed = Answer.objects.filter(candidate=candidate, reviews__isnull=False).get()
    visit("/", re.compile("Rehearse"))
    visit("/questions/", "Question bank")
    page.get_by_role("link", name=re.compile(r"—")).first.click()  # a card's source
    expect(page).to_have_url(re.compile(r"/questions/sources/#s\d{3}-"))
    check_a11y(page)
    shoot(page, "sources", full_page=False)
    visit(reviewed.question.get_absolute_url(), reviewed.question.title)
    visit("/rounds/", "Your mock rounds")
    visit("/rounds/new/", "Start a mock round")
    visit(f"/rounds/{finished.pk}/summary/", "Round summary")
    visit(reviewed.get_absolute_url(), reviewed.question.title)  # the transcript
    visit(f"/rounds/{reviewed.round_id}/answers/{reviewed.pk}/feedback/", re.compile("Feedback"))

    page.goto("/rounds/new/")
    page.get_by_label("Go-to-market").check()
    page.get_by_label("Number of questions").fill("2")
    page.get_by_role("button", name="Start the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ready when you are")
    check_a11y(page)
    page.get_by_role("button", name="Start the clock").click()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    check_a11y(page)
    shoot(page, "round-page")
    round_pk = re.search(r"/rounds/(\d+)/", page.url)[1]
    visit(f"/rounds/{round_pk}/finish/", "End the round now?")


def test_start_clicked_again_while_the_server_is_slow_makes_one_round(page: Page, monkeypatch):
    """A second click while the first is on its way sends the form again (the browser drops the
    first navigation, not the request the server already has): one round, the one shown."""
    load_bank()
    UserFactory(username="dana", role="candidate")
    sign_in(page, "dana")
    page.goto("/")
    slow = services.start_round

    def start_round_slowly(**options):
        time.sleep(0.5)
        return slow(**options)

    monkeypatch.setattr(services, "start_round", start_round_slowly)  # the live server's too
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    # Playwright's click waits for the navigation it starts; a person's second click does not.
    page.get_by_role("button", name="Start a short round").evaluate(
        "(button) => { button.click(); setTimeout(() => button.click(), 200); }"
    )

    expect(page.get_by_role("heading", name="Ready when you are")).to_be_visible()
    assert len(posts) == 2, posts  # the browser did send it twice
    round_ = Round.objects.get(candidate__username="dana")
    assert f"/rounds/{round_.pk}/" in page.url and round_.answers.count() == 1
