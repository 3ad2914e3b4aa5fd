"""Input the pages never send but anyone can: a clear answer and nothing changed, never a 500."""

import pytest
from django.urls import reverse

from rounds.models import Answer
from tests.coaching_helpers import coach
from tests.rounds_helpers import make_question, opened, start

pytestmark = pytest.mark.usefixtures("fixed_scorers")

HTMX = {"HX-Request": "true"}


@pytest.fixture
def answer(alice):
    return opened(start(alice, [make_question()]))


def url(name: str, answer: Answer) -> str:
    return reverse(f"practice:{name}", args=[answer.round_id, answer.pk])


def test_a_nul_character_in_a_draft_is_dropped_and_the_rest_saved(client, alice, answer):
    client.force_login(alice)

    response = client.post(url("draft", answer), {"text": "before\x00after"}, headers=HTMX)

    assert response.status_code == 200 and "Saved at" in response.text
    answer.refresh_from_db()
    assert answer.draft == "beforeafter"


def test_a_nul_character_in_a_submitted_answer_is_dropped(client, alice, answer):
    client.force_login(alice)

    response = client.post(url("submit", answer), {"text": "We pilot\x00 in Canada."})

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text == "We pilot in Canada." and answer.is_submitted


def test_an_invite_code_with_a_nul_is_no_invite(client, db):
    client.force_login(coach("dora"))
    assert client.get("/coach/invite/%00/").status_code == 404
    assert client.get("/coach/invite/abc%00def/").status_code == 404


@pytest.mark.parametrize("page", ["coaching:queue", "coaching:agreement"])
def test_dates_out_of_range_are_refused_with_a_message(client, admin_user, page):
    client.force_login(admin_user)

    response = client.get(reverse(page), {"since": "0001-01-01", "until": "9999-12-31"})

    assert response.status_code in (200, 400)  # the agreement page says 400 for a bad period
    assert "Choose dates between 1 Jan 2000 and 31 Dec 2999." in response.text


def test_a_signed_out_page_gets_401_not_the_sign_in_page(client, alice, answer):
    # Autosave, the htmx submit and the feedback poll all answer 401 with a message.
    for name in ("draft", "submit"):
        response = client.post(url(name, answer), {"text": "Typed while signed out."}, headers=HTMX)
        assert response.status_code == 401, name
        assert "You are signed out" in response.text and "<form" not in response.text
    poll = client.get(url("feedback", answer), headers=HTMX)
    assert poll.status_code == 401
    # A plain form post (no JavaScript) still goes to the sign-in page.
    plain = client.post(url("submit", answer), {"text": "x"})
    assert plain.status_code == 302 and "/accounts/login/" in plain.url
    answer.refresh_from_db()
    assert answer.draft == "" and not answer.is_submitted


def test_an_older_save_never_replaces_a_newer_one(client, alice, answer):
    client.force_login(alice)
    newer = client.post(url("draft", answer), {"text": "Newer.", "sequence": "20"}, headers=HTMX)
    # The save-on-leave of the page before a reload lands last, with the older text.
    older = client.post(url("draft", answer), {"text": "Older.", "sequence": "10"}, headers=HTMX)

    assert newer.status_code == older.status_code == 200
    answer.refresh_from_db()
    assert (answer.draft, answer.draft_sequence) == ("Newer.", 20)

    client.post(url("draft", answer), {"text": "Newest.", "sequence": "21"}, headers=HTMX)
    answer.refresh_from_db()
    assert answer.draft == "Newest."


@pytest.mark.parametrize("sequence", ["-1", "abc", str(2**63)])
def test_a_bad_sequence_number_is_refused(client, alice, answer, sequence):
    client.force_login(alice)

    response = client.post(url("draft", answer), {"text": "x", "sequence": sequence}, headers=HTMX)

    assert response.status_code == 422 and "bad sequence number" in response.text
    answer.refresh_from_db()
    assert answer.draft == ""
