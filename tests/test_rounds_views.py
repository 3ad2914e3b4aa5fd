import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, connections
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from feedback.models import Feedback
from rounds import autosave, drafts, services
from rounds.models import GRACE, MAX_ANSWER_CHARS, Answer, Round
from tests.rounds_helpers import T0, make_question, opened, start

pytestmark = pytest.mark.usefixtures("fixed_scorers")

HTMX = {"HX-Request": "true"}


@pytest.fixture
def round_(alice):
    question = make_question(
        slug="launch",
        title="Launch the duet feature",
        context="Beta: 5,000 creators in Canada.",
        prompt="How would you launch duets?",
        time_limit_seconds=900,
    )
    return start(alice, [question])


@pytest.fixture
def two_questions(alice):
    return start(alice, [make_question("product_sense"), make_question("gtm")])


def url(name, round_, answer=None):
    return reverse(f"practice:{name}", args=[round_.pk] + ([answer.pk] if answer else []))


def as_user(client, user):
    client.force_login(user)
    return client


# The list and the start form


def test_list_shows_only_my_rounds(client, alice, charlie, round_):
    start(charlie, [make_question(slug="charlies")])

    response = as_user(client, alice).get(reverse("practice:list"))

    assert response.status_code == 200
    assert list(response.context["rounds"]) == [round_]
    assert "Go-to-market" in response.text and "0 of 1" in response.text
    assert reverse("practice:new") in response.text


def test_pages_need_a_signed_in_user(client, round_):
    for page in (reverse("practice:list"), reverse("practice:new"), url("detail", round_)):
        response = client.get(page)
        assert response.status_code == 302
        assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_start_form_starts_a_round(client, alice):
    make_question("product_sense", tags=["growth"])
    make_question("execution")

    form = as_user(client, alice).get(reverse("practice:new"))
    response = client.post(
        reverse("practice:new"), {"kinds": ["product_sense"], "count": "1", "minutes": "5"}
    )

    assert form.status_code == 200
    assert 'value="growth"' in form.text and 'name="full_loop"' in form.text
    round_ = Round.objects.get(candidate=alice)
    assert response.status_code == 302 and response.url == url("ready", round_)
    answer = round_.answers.get()
    assert answer.time_limit_seconds == 300 and answer.started_at is None


def test_start_form_full_loop_ignores_the_count(client, alice):
    for kind in ("product_sense", "execution", "behavioral", "gtm"):
        make_question(kind)

    as_user(client, alice).post(reverse("practice:new"), {"full_loop": "on", "count": ""})

    round_ = Round.objects.get(candidate=alice)
    assert round_.full_loop and round_.answers.count() == 4


def test_start_form_lists_each_company_once(client, alice):
    for kind in ("product_sense", "execution", "gtm"):
        make_question(kind, company="TikTok")
    make_question("behavioral", company="Lemon8")

    page = as_user(client, alice).get(reverse("practice:new")).text

    assert page.count('<option value="TikTok">') == 1
    assert page.count('<option value="Lemon8">') == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": "2"}, "Choose at least one kind of question, or a full loop."),
        ({"kinds": ["gtm"], "count": "3"}, "Only 1 question match these filters"),
        ({"kinds": ["gtm"], "count": "9"}, "less than or equal to 8"),
        ({"kinds": ["gtm"], "count": "1", "minutes": "0"}, "greater than or equal to 1"),
        ({"kinds": ["gtm"], "count": "1", "tag": "nope"}, "Select a valid choice"),
    ],
)
def test_start_form_validates(client, alice, data, message):
    make_question()

    response = as_user(client, alice).post(reverse("practice:new"), data)

    assert response.status_code == 422
    assert message in response.text
    assert not Round.objects.exists()


# The current step


def test_detail_sends_me_to_the_ready_screen_then_to_the_current_step(client, alice, two_questions):
    as_user(client, alice)

    before = client.get(url("detail", two_questions))
    client.post(url("begin", two_questions))
    after = client.get(url("detail", two_questions))

    first = two_questions.answers.get(position=1)
    assert before.status_code == 302 and before.url == url("ready", two_questions)
    assert after.status_code == 302 and after.url == url("answer", two_questions, first)


def test_detail_finishes_a_completed_round(client, alice, round_):
    main = opened(round_)
    services.submit_answer(answer=main, text="An answer.")
    services.submit_answer(answer=opened(round_), text="A follow-up answer.")

    response = as_user(client, alice).get(url("detail", round_))

    assert response.url == url("summary", round_)
    round_.refresh_from_db()
    assert round_.is_finished


def test_detail_denies_charlie(client, charlie, round_):
    response = as_user(client, charlie).get(url("detail", round_))

    assert response.status_code == 404
    assert round_.answers.get().started_at is None


def test_later_questions_do_not_open_out_of_turn(client, alice, two_questions):
    second = two_questions.answers.get(position=2)

    response = as_user(client, alice).get(url("answer", two_questions, second))

    assert response.url == url("detail", two_questions)
    second.refresh_from_db()
    assert second.started_at is None


# The answer page


def test_answer_page_starts_the_clock_and_shows_the_question(client, alice, round_, clock):
    answer = round_.answers.get()

    response = as_user(client, alice).post(url("begin", round_), follow=True)

    assert response.redirect_chain == [(url("answer", round_, answer), 302)]
    answer.refresh_from_db()
    assert answer.started_at == T0 and answer.deadline == T0 + timedelta(minutes=15)
    page = response.text
    assert "Launch the duet feature" in page and "How would you launch duets?" in page
    assert "Beta: 5,000 creators in Canada." in page
    assert 'data-seconds-left="900"' in page and "<span data-timer-clock>15:00</span>" in page
    assert 'role="timer"' in page and 'aria-live="polite"' in page
    assert f'data-draft-url="{url("draft", round_, answer)}"' in page  # round.js autosaves there
    assert f'action="{url("submit", round_, answer)}"' in page
    assert 'hx-disabled-elt="find button"' in page
    assert "js/round.js" in page


def test_reloading_restores_the_draft_and_the_remaining_time(client, alice, round_, clock):
    answer = opened(round_)
    drafts.save_draft(
        candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="Step <one> & two"
    )
    clock.shift(timedelta(minutes=2, seconds=5))

    other_device = as_user(Client(), alice)
    response = other_device.get(url("answer", round_, answer))

    assert 'data-seconds-left="775"' in response.text
    assert "<span data-timer-clock>12:55</span>" in response.text
    assert "Step &lt;one&gt; &amp; two</textarea>" in response.text
    assert "4 words" in response.text


def test_answer_page_denies_charlie(client, charlie, round_):
    answer = round_.answers.get()

    assert as_user(client, charlie).get(url("answer", round_, answer)).status_code == 404
    answer.refresh_from_db()
    assert answer.started_at is None


def test_answer_of_another_round_is_404(client, alice, round_, two_questions):
    other = two_questions.answers.get(position=1)

    response = as_user(client, alice).get(url("answer", round_, other))

    assert response.status_code == 404


def test_a_closed_tab_is_handled_when_i_come_back(client, alice, round_, clock):
    answer = opened(round_)
    drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="Draft.")
    clock.shift(timedelta(minutes=20))

    response = as_user(client, alice).get(url("detail", round_), follow=True)

    answer.refresh_from_db()
    assert (answer.text, answer.auto_submitted) == ("Draft.", True)
    assert response.redirect_chain[-1][0] == url("answer", round_, answer.follow_up)
    assert '<p class="round-notice" role="status">Time ran out on the last answer' in response.text


def test_the_next_question_says_when_the_last_follow_up_timed_out(
    client, alice, two_questions, clock
):
    services.submit_answer(answer=opened(two_questions), text="An answer.")
    opened(two_questions)  # the follow-up, left to run out
    clock.shift(timedelta(minutes=5))
    as_user(client, alice)

    timed_out = client.get(url("detail", two_questions), follow=True)
    services.submit_answer(answer=opened(two_questions), text="Second answer.")
    on_time = client.get(url("detail", two_questions), follow=True)

    assert "Time ran out on the last question" in timed_out.text
    assert "Question 2 of 2" in timed_out.text
    assert "Time ran out" not in on_time.text  # the second question's follow-up


# Autosave


def test_autosave_saves_the_draft_in_at_most_four_queries(
    client, alice, round_, clock, django_assert_max_num_queries
):
    answer = opened(round_)
    as_user(client, alice)

    with django_assert_max_num_queries(4):
        response = client.post(url("draft", round_, answer), {"text": "Autosaved."}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.strip().startswith('<p id="draft-status"')
    assert "Saved at" in response.text and "09:00:00" in response.text
    assert "<html" not in response.text
    answer.refresh_from_db()
    assert answer.draft == "Autosaved."


@pytest.mark.django_db(transaction=True)
def test_autosaved_draft_survives_a_server_restart(client, alice, round_):
    answer = opened(round_)
    as_user(client, alice).post(url("draft", round_, answer), {"text": "Keep me."}, headers=HTMX)

    # A restart: every connection closed, a new browser session, the page loaded again.
    connections.close_all()
    client.logout()
    restarted = as_user(Client(), alice)
    response = restarted.get(url("detail", round_), follow=True)

    assert response.redirect_chain[-1][0] == url("answer", round_, answer)
    assert "Keep me.</textarea>" in response.text


def test_autosave_to_a_submitted_answer_is_409_with_a_message(client, alice, round_):
    answer = opened(round_)
    services.submit_answer(answer=answer, text="Final.")

    response = as_user(client, alice).post(
        url("draft", round_, answer), {"text": "Changed?"}, headers=HTMX
    )

    assert response.status_code == 409
    assert 'id="draft-status"' in response.text and "already been submitted" in response.text
    answer.refresh_from_db()
    assert answer.draft == "Final."


def test_autosave_denies_charlie_and_tampered_ids(client, alice, charlie, round_, two_questions):
    answer = opened(round_)
    other = opened(two_questions)

    denied = as_user(Client(), charlie).post(url("draft", round_, answer), {"text": "x"})
    tampered = as_user(client, alice).post(url("draft", round_, other), {"text": "x"})

    assert (denied.status_code, tampered.status_code) == (404, 404)
    assert Answer.objects.filter(draft="x").count() == 0


# The answer page's autosave token (rounds/autosave.py)


def page_token(client, round_, answer) -> str:
    page = client.get(url("answer", round_, answer)).text
    return re.search(r'name="autosave_token" value="([^"]+)"', page).group(1)


def test_with_the_page_token_autosave_is_one_query(
    client, alice, round_, clock, django_assert_num_queries
):
    answer = opened(round_)
    token = page_token(as_user(client, alice), round_, answer)

    with django_assert_num_queries(1):  # neither the session nor the user is loaded
        response = client.post(
            url("draft", round_, answer), {"text": "Fast.", "autosave_token": token}, headers=HTMX
        )

    assert response.status_code == 200 and "Saved at" in response.text
    answer.refresh_from_db()
    assert (answer.draft, answer.draft_saved_at) == ("Fast.", T0)


def test_the_token_works_only_with_the_session_it_was_made_for(client, alice, charlie, round_):
    answer = opened(round_)
    token = page_token(as_user(client, alice), round_, answer)

    stolen = as_user(Client(), charlie).post(
        url("draft", round_, answer), {"text": "x", "autosave_token": token}, headers=HTMX
    )
    client.logout()  # the session row goes; the old cookie and token come back
    client.cookies[settings.SESSION_COOKIE_NAME] = "gone"
    after_logout = client.post(
        url("draft", round_, answer), {"text": "x", "autosave_token": token}, headers=HTMX
    )

    assert stolen.status_code == 404
    assert after_logout.status_code == 401 and "You are signed out" in after_logout.text
    assert Answer.objects.filter(draft="x").count() == 0


def test_a_token_left_from_a_logged_out_session_saves_nothing(client, alice, round_):
    answer = opened(round_)
    token = page_token(as_user(client, alice), round_, answer)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.logout()

    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    response = client.post(
        url("draft", round_, answer), {"text": "x", "autosave_token": token}, headers=HTMX
    )

    assert response.status_code == 401 and "You are signed out" in response.text
    assert 'role="alert"' in response.text  # shown in place of "Saved at", never a sign-in page
    answer.refresh_from_db()
    assert answer.draft == ""


@pytest.mark.django_db(transaction=True)
def test_autosave_outside_a_transaction_saves_and_leaves_the_connection_as_it_was(
    client, alice, round_
):
    answer = opened(round_)
    token = page_token(as_user(client, alice), round_, answer)

    response = client.post(url("draft", round_, answer), {"text": "Kept.", "autosave_token": token})

    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.draft == "Kept."
    if connection.vendor == "postgresql":  # a draft waits for its commit's flush like any write
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("on",)


def test_only_the_token_stands_in_for_the_csrf_token(alice, round_):
    answer = opened(round_)
    browser = as_user(Client(enforce_csrf_checks=True), alice)
    token = page_token(browser, round_, answer)

    forged = browser.post(url("draft", round_, answer), {"text": "forged"})
    with_token = browser.post(
        url("draft", round_, answer), {"text": "mine", "autosave_token": token}
    )

    assert (forged.status_code, with_token.status_code) == (403, 200)
    answer.refresh_from_db()
    assert answer.draft == "mine"


def test_a_token_names_one_answer_and_one_session(rf):
    token = autosave.sign("s" * 32, 7, 41)

    def candidate(answer_id, token=token, session="s" * 32):
        request = rf.post("/", {"autosave_token": token})
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session
        return autosave.session_candidate(request, answer_id)

    assert candidate(41) == (7, "s" * 32)
    assert candidate(42) is None
    assert candidate(41, session="t" * 32) is None
    assert candidate(41, token=token.replace("7.41", "8.41")) is None
    assert candidate(41, token="") is None


def test_a_deactivated_candidates_token_saves_nothing(client, alice, round_):
    answer = opened(round_)
    token = page_token(as_user(client, alice), round_, answer)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = client.post(url("draft", round_, answer), {"text": "x", "autosave_token": token})

    assert response.status_code == 401
    answer.refresh_from_db()
    assert answer.draft == ""


def test_with_the_token_a_closed_or_oversized_draft_still_explains_itself(
    client, alice, round_, clock
):
    answer = opened(round_)
    token = page_token(as_user(client, alice), round_, answer)
    too_long = "x" * (services.MAX_DRAFT_CHARS + 1)

    oversized = client.post(
        url("draft", round_, answer), {"text": too_long, "autosave_token": token}
    )
    services.submit_answer(answer=answer, text="Final.")
    closed = client.post(url("draft", round_, answer), {"text": "Later", "autosave_token": token})

    assert oversized.status_code == 422 and "drafts are limited to" in oversized.text
    assert closed.status_code == 409 and "already been submitted" in closed.text
    answer.refresh_from_db()
    assert answer.draft == "Final."


def test_autosave_needs_post(client, alice, round_):
    answer = opened(round_)

    assert as_user(client, alice).get(url("draft", round_, answer)).status_code == 405


# Submitting


def test_submit_without_javascript_goes_to_the_follow_up(client, alice, round_, clock):
    answer = opened(round_)
    clock.shift(timedelta(minutes=3))

    response = as_user(client, alice).post(
        url("submit", round_, answer),
        {"text": "Canada first, then decide.", "question": answer.question_id},
        follow=True,
    )

    answer.refresh_from_db()
    assert answer.text == "Canada first, then decide." and answer.time_used_seconds == 180
    follow_up = answer.follow_up
    assert response.redirect_chain == [
        (url("detail", round_), 302),
        (url("answer", round_, follow_up), 302),
    ]
    assert follow_up.prompt in response.text and "The interviewer asks" in response.text
    assert "<span data-timer-clock>03:00</span>" in response.text


def test_submit_with_htmx_redirects_the_whole_page(client, alice, round_):
    answer = opened(round_)

    response = as_user(client, alice).post(
        url("submit", round_, answer), {"text": "An answer."}, headers=HTMX
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == url("detail", round_)


def test_submitting_the_follow_up_shows_the_question_with_feedback(
    client, alice, round_, django_capture_on_commit_callbacks
):
    main = opened(round_)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_answer(answer=main, text="Launch everywhere: premature_scaling.")
    follow_up = opened(round_)
    as_user(client, alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("submit", round_, follow_up), {"text": "Canada, 6 weeks."})
    page = client.get(response.url)

    assert response.url == url("answer", round_, main)
    assert page.status_code == 200
    assert "Launch everywhere" in page.text and "Canada, 6 weeks." in page.text
    assert page.text.count("Overall <strong>") == 2
    assert "Finish and see the summary" in page.text


def test_empty_answer_is_refused_with_a_message(client, alice, round_):
    answer = opened(round_)

    full = as_user(client, alice).post(url("submit", round_, answer), {"text": "  "})
    fragment = client.post(url("submit", round_, answer), {"text": ""}, headers=HTMX)

    assert full.status_code == 422 and "<html" in full.text
    assert "Your answer is empty" in full.text and 'aria-invalid="true"' in full.text
    assert fragment.status_code == 422 and "<html" not in fragment.text
    assert fragment.text.strip().startswith('<form id="answer-form"')
    assert "Your answer is empty" in fragment.text
    answer.refresh_from_db()
    assert not answer.is_submitted and not Answer.objects.filter(follow_up_of=answer).exists()


def test_oversized_answer_keeps_the_draft_and_shows_the_limit(client, alice, round_):
    answer = opened(round_)
    text = "a" * (MAX_ANSWER_CHARS + 5)

    response = as_user(client, alice).post(url("submit", round_, answer), {"text": text})

    assert response.status_code == 422
    assert "Your answer is 20,005 characters; the limit is 20,000." in response.text
    assert f"{text}</textarea>" in response.text
    answer.refresh_from_db()
    assert answer.draft == text and not answer.is_submitted


def test_double_submit_gives_the_same_result_and_scores_once(
    client, alice, round_, django_capture_on_commit_callbacks
):
    answer = opened(round_)
    as_user(client, alice)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("submit", round_, answer), {"text": "Once."})
        second = client.post(url("submit", round_, answer), {"text": "Once."})

    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Feedback.objects.filter(answer=answer).count() == 1
    assert Answer.objects.filter(follow_up_of=answer).count() == 1


def test_submit_denies_charlie(client, charlie, round_):
    answer = opened(round_)

    response = as_user(client, charlie).post(url("submit", round_, answer), {"text": "Mine now."})

    assert response.status_code == 404
    answer.refresh_from_db()
    assert not answer.is_submitted


def test_submit_to_an_answer_of_another_round_is_404(client, alice, round_, two_questions):
    other = opened(two_questions)

    response = as_user(client, alice).post(url("submit", round_, other), {"text": "Misplaced."})

    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.is_submitted


def test_tampered_question_id_is_404(client, alice, round_):
    answer = opened(round_)
    other = make_question(slug="elsewhere")

    response = as_user(client, alice).post(
        url("submit", round_, answer), {"text": "An answer.", "question": other.pk}
    )

    assert response.status_code == 404
    answer.refresh_from_db()
    assert not answer.is_submitted


def test_answer_to_a_finished_round_is_refused(client, alice, two_questions):
    opened(two_questions)
    services.finish_round(round_=two_questions)
    second = two_questions.answers.get(position=2)

    response = as_user(client, alice).post(url("submit", two_questions, second), {"text": "Hi."})

    assert response.status_code == 409
    assert "This round is finished" in response.text and "Hi.</textarea>" in response.text
    second.refresh_from_db()
    assert not second.is_submitted


def test_answer_after_the_deadline_is_stored_and_marked_late(client, alice, round_, clock):
    answer = opened(round_)
    clock.shift(timedelta(minutes=15) + GRACE + timedelta(seconds=5))

    response = as_user(client, alice).post(
        url("submit", round_, answer), {"text": "Late but here."}
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.text, answer.is_late) == ("Late but here.", True)
    page = client.get(url("answer", round_, answer))
    assert "Late but here." in page.text and ">Late</span>" in page.text


def test_save_draft_button_works_without_javascript(client, alice, round_):
    answer = opened(round_)

    response = as_user(client, alice).post(
        url("submit", round_, answer), {"text": "Saved by hand.", "action": "save"}
    )

    assert response.status_code == 302 and response.url == url("answer", round_, answer)
    answer.refresh_from_db()
    assert answer.draft == "Saved by hand." and not answer.is_submitted


# Feedback


def test_feedback_polls_while_scoring_runs(client, alice, round_):
    answer = opened(round_)
    services.submit_answer(answer=answer, text="An answer.")  # scoring not run yet
    feedback_url = url("feedback", round_, answer)

    page = as_user(client, alice).get(feedback_url)
    fragment = client.get(feedback_url + "?try=3", headers=HTMX)
    gave_up = client.get(feedback_url + "?try=120", headers=HTMX)

    assert page.status_code == 200 and "<html" in page.text and "Scoring…" in page.text
    assert "<html" not in fragment.text and fragment.text.strip().startswith("<section")
    assert f'hx-get="{feedback_url}?try=4"' in fragment.text
    assert 'hx-trigger="load delay:1s"' in fragment.text
    assert f'href="{feedback_url}"' in fragment.text  # works without JavaScript too
    assert "hx-get" not in gave_up.text and "taking longer than usual" in gave_up.text


def test_feedback_marks_the_evidence_in_my_own_text(
    client, alice, round_, django_capture_on_commit_callbacks
):
    answer = opened(round_)
    text = "Big <launch>: premature_scaling and vanity_metrics."
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_answer(answer=answer, text=text)

    response = as_user(client, alice).get(url("feedback", round_, answer), headers=HTMX)

    advice = f"advice-{answer.pk}-premature_scaling"
    assert 'hx-trigger="load delay:1s"' not in response.text  # scored: the polling stops
    assert (
        "Big &lt;launch&gt;: "
        f'<mark class="evidence" data-failure-modes="premature_scaling"><a href="#{advice}" '
        f'aria-describedby="{advice}">premature_scaling</a></mark> and <mark'
    ) in response.text
    assert f'<section class="finding" id="{advice}"' in response.text
    assert "Overall <strong>3.00</strong> out of 5" in response.text
    assert '<rect width="60" height="1"/>' in response.text  # a 3 out of 5 criterion bar


def test_feedback_denies_charlie(client, charlie, round_):
    answer = opened(round_)
    services.submit_answer(answer=answer, text="An answer.")

    response = as_user(client, charlie).get(url("feedback", round_, answer), headers=HTMX)

    assert response.status_code == 404


# The summary and ending a round


def test_summary_shows_scores_failure_modes_and_time(
    client, alice, round_, clock, django_capture_on_commit_callbacks
):
    main = opened(round_)
    clock.shift(timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_answer(answer=main, text="premature_scaling and vanity_metrics")
    follow_up = opened(round_)
    clock.shift(timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_answer(answer=follow_up, text="Still premature_scaling.")

    response = as_user(client, alice).get(url("summary", round_))

    summary = response.context["summary"]
    assert [(q.time_used, q.time_given) for q in summary.questions] == [(660, 1080)]
    assert [(mode.key, n) for mode, n in summary.failure_modes] == [
        ("premature_scaling", 2),
        ("vanity_metrics", 1),
    ]
    assert response.text.count("<strong>3.00</strong> / 5") == 2
    assert "11:00 of 18:00" in response.text
    assert "2 times" in response.text and "hx-get" not in response.text


def test_summary_fragment_polls_while_answers_are_scored(client, alice, round_):
    services.submit_answer(answer=opened(round_), text="An answer.")

    response = as_user(client, alice).get(url("summary", round_), headers=HTMX)

    assert response.text.strip().startswith('<div id="summary-results"')
    assert 'hx-trigger="load delay:2s"' in response.text and "Scoring…" in response.text


def test_summary_and_finish_deny_charlie(client, charlie, round_):
    as_user(client, charlie)

    assert client.get(url("summary", round_)).status_code == 404
    assert client.post(url("finish", round_)).status_code == 404
    round_.refresh_from_db()
    assert not round_.is_finished


def test_ending_a_round_early(client, alice, two_questions):
    opened(two_questions)

    response = as_user(client, alice).post(url("finish", two_questions))

    assert response.url == url("summary", two_questions)
    two_questions.refresh_from_db()
    assert two_questions.is_finished
    assert "Not answered" in client.get(response.url).text


def test_healthz_is_ok_without_the_database(client):
    # No db fixture: any query here would fail the test.
    response = client.get("/healthz")

    assert (response.status_code, response.text) == (200, "ok")


def test_admin_lists_rounds_and_answers(client, admin_user, round_):
    answer = opened(round_)
    as_user(client, admin_user)

    assert client.get(reverse("admin:rounds_round_changelist")).status_code == 200
    change = client.get(reverse("admin:rounds_round_change", args=[round_.pk]))
    assert change.status_code == 200 and "Launch the duet feature" in change.text
    assert client.get(reverse("admin:rounds_answer_change", args=[answer.pk])).status_code == 200


def test_the_follow_up_says_so_when_the_pages_timer_submitted_the_answer(
    client, alice, two_questions, clock
):

    # round.js submits what is written when its countdown reaches zero: at the deadline, not
    # after it, so the answer is neither late nor submitted by the server.
    answer = opened(two_questions)
    clock.shift(timedelta(seconds=answer.time_limit_seconds))
    services.submit_answer(answer=answer, text="All I had.")
    timed_out = as_user(client, alice).get(url("detail", two_questions), follow=True)
    services.submit_answer(answer=opened(two_questions), text="A follow-up.")
    second = opened(two_questions)
    clock.shift(timedelta(seconds=second.time_limit_seconds - 1))
    services.submit_answer(answer=second, text="Just in time.")
    on_time = client.get(url("detail", two_questions), follow=True)

    answer.refresh_from_db()
    assert not (answer.auto_submitted or answer.is_late)
    assert "Time ran out on the last answer" in timed_out.text
    assert "Time ran out" not in on_time.text
