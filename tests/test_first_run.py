"""The first run: the home page, its one-click round, the ready screen before the clock starts,
and the confirmation before a round ends early."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rounds import drafts
from rounds.models import Answer, Round
from tests.rounds_helpers import T0, make_question, opened, start

pytestmark = pytest.mark.usefixtures("fixed_scorers")


@pytest.fixture
def round_(alice):
    return start(alice, [make_question("product_sense"), make_question("gtm")])


def url(name, round_, answer=None):
    return reverse(f"practice:{name}", args=[round_.pk] + ([answer.pk] if answer else []))


# The home page


def test_home_says_what_prep_is_and_sends_a_newcomer_to_sign_up(client, db):
    response = client.get("/")

    assert response.status_code == 200
    page = response.text
    assert "timed mock rounds" in page and "failure modes interviewers reject" in page
    assert f'href="{reverse("accounts:signup")}">Sign up and start a round' in page
    assert reverse("practice:quick_start") not in page


def test_home_offers_a_signed_in_candidate_a_short_round(client, alice):
    client.force_login(alice)

    page = client.get("/").text

    assert f'action="{reverse("practice:quick_start")}"' in page
    assert "Start a short round" in page and "Continue your round" not in page
    assert "One question, 10 minutes, then a follow-up" in page


def test_home_offers_to_continue_a_round_in_progress(client, alice, round_):
    client.force_login(alice)

    page = client.get("/").text

    assert f'href="{url("detail", round_)}">Continue your round' in page
    assert "0 of\n          2 answered" in page


def test_signing_up_comes_back_to_the_round_start(client, db):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "a long enough passphrase 7",
            "password2": "a long enough passphrase 7",
            "role": "candidate",
        },
    )

    assert response.status_code == 302 and response.url == "/"
    assert "Start a short round" in client.get("/").text


# The one-click round


def test_quick_start_makes_a_short_round_and_shows_the_ready_screen(client, alice):
    make_question("execution", time_limit_seconds=1500)
    client.force_login(alice)

    response = client.post(reverse("practice:quick_start"))

    round_ = Round.objects.get(candidate=alice)
    assert response.status_code == 302 and response.url == url("ready", round_)
    answer = round_.answers.get()
    assert answer.time_limit_seconds == 600 and answer.started_at is None


def test_quick_start_validates_an_empty_bank(client, alice):
    client.force_login(alice)

    response = client.post(reverse("practice:quick_start"))

    assert response.status_code == 422
    assert "No published questions match" in response.text
    assert not Round.objects.exists()


def test_quick_start_needs_a_signed_in_post(client, alice):
    make_question()

    signed_out = client.post(reverse("practice:quick_start"))
    client.force_login(alice)
    get = client.get(reverse("practice:quick_start"))

    assert signed_out.status_code == 302 and reverse("accounts:login") in signed_out.url
    assert get.status_code == 405
    assert not Round.objects.exists()


# The ready screen


def test_ready_screen_says_what_will_happen_and_starts_no_clock(client, alice, round_):
    client.force_login(alice)

    response = client.get(url("ready", round_))

    assert response.status_code == 200
    page = response.text
    assert "2 questions" in page and "Product sense" in page and "Go-to-market" in page
    assert "then the interviewer’s follow-up (3 minutes)" in page
    assert "saved as you type" in page and "Feedback after you submit" in page
    assert f'action="{url("begin", round_)}"' in page and "Start the clock" in page
    assert not round_.answers.filter(started_at__isnull=False).exists()


def test_the_answer_page_of_a_round_not_begun_goes_to_the_ready_screen(client, alice, round_):
    first = round_.answers.get(position=1)
    client.force_login(alice)

    response = client.get(url("answer", round_, first))

    assert response.status_code == 302 and response.url == url("ready", round_)
    first.refresh_from_db()
    assert first.started_at is None


def test_start_the_clock_starts_the_first_question_only(client, alice, round_, clock):
    client.force_login(alice)

    response = client.post(url("begin", round_))

    first, second = round_.answers.order_by("position")
    assert response.status_code == 302 and response.url == url("answer", round_, first)
    assert first.started_at == T0 and first.deadline == T0 + timedelta(
        seconds=first.time_limit_seconds
    )
    assert second.started_at is None


def test_start_the_clock_twice_keeps_the_first_deadline(client, alice, round_, clock):
    client.force_login(alice)
    client.post(url("begin", round_))
    first = round_.answers.get(position=1)
    deadline = Answer.objects.get(pk=first.pk).deadline
    clock.shift(timedelta(minutes=3))

    again = client.post(url("begin", round_))
    ready = client.get(url("ready", round_))

    assert again.url == url("answer", round_, first)
    assert Answer.objects.get(pk=first.pk).deadline == deadline
    assert ready.status_code == 302 and ready.url == url("detail", round_)


def test_ready_and_begin_deny_charlie(client, charlie, round_):
    client.force_login(charlie)

    assert client.get(url("ready", round_)).status_code == 404
    assert client.post(url("begin", round_)).status_code == 404
    assert client.get(url("begin", round_)).status_code == 405
    assert not round_.answers.filter(started_at__isnull=False).exists()


# Ending a round early


def test_ending_asks_first_on_a_page_that_works_without_javascript(client, alice, round_):
    opened(round_)
    client.force_login(alice)

    response = client.get(url("finish", round_))

    assert response.status_code == 200
    page = response.text
    assert "End the round now?" in page and "1 question you have not opened stays" in page
    assert f'<form class="confirm-actions" method="post" action="{url("finish", round_)}">' in page
    assert f'href="{url("detail", round_)}">Keep answering' in page
    round_.refresh_from_db()
    assert not round_.is_finished


def test_the_answer_page_links_to_the_confirmation_and_holds_the_dialog(client, alice, round_):
    answer = opened(round_)
    client.force_login(alice)

    page = client.get(url("answer", round_, answer)).text

    assert f'<a href="{url("finish", round_)}" data-end-round="end-round-dialog">' in page
    assert '<dialog id="end-round-dialog"' in page
    assert f'<input type="hidden" name="answer" value="{answer.pk}">' in page


def test_ending_from_the_dialog_keeps_the_text_in_the_box(client, alice, round_):
    answer = opened(round_)
    drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="Saved.")
    client.force_login(alice)

    response = client.post(
        url("finish", round_), {"answer": answer.pk, "text": "Saved. And typed since."}
    )

    assert response.url == url("summary", round_)
    answer.refresh_from_db()
    assert answer.text == "Saved. And typed since." and answer.auto_submitted


def test_ending_ignores_text_for_an_answer_of_another_round(client, alice, round_):
    other = start(alice, [make_question("gtm")])
    other_answer = opened(other)
    client.force_login(alice)

    client.post(url("finish", round_), {"answer": other_answer.pk, "text": "Not here."})

    other_answer.refresh_from_db()
    round_.refresh_from_db()
    assert round_.is_finished and other_answer.draft == "" and not other_answer.is_submitted


def test_confirmation_of_a_finished_round_goes_to_the_summary(client, alice, round_):
    client.force_login(alice)
    client.post(url("finish", round_))

    response = client.get(url("finish", round_))

    assert response.status_code == 302 and response.url == url("summary", round_)


def test_confirmation_denies_charlie(client, charlie, round_):
    client.force_login(charlie)

    assert client.get(url("finish", round_)).status_code == 404
