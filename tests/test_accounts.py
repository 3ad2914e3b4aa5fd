import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.urls import path

import prep.urls
from accounts.decorators import role_required
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "quiet-lantern-orchard-42"


@role_required("coach")
def coach_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("coach page")


@role_required("candidate", "coach")
def members_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("members page")


# Used by the tests marked with @pytest.mark.urls(__name__): the site plus two guarded views.
urlpatterns = [
    path("coach-only/", coach_only),
    path("members-only/", members_only),
    *prep.urls.urlpatterns,
]


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "username": "dana",
        "email": "dana@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "role": "coach",
    }
    return data | overrides


def signed_in_id(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value else None


def fail_login(client, username: str, times: int, url: str = "/accounts/login/") -> list[int]:
    """Post a wrong password `times` times; return the status codes."""
    return [
        client.post(url, {"username": username, "password": "not-the-password"}).status_code
        for _ in range(times)
    ]


# Sign up


def test_signup_page_works(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "I am practising" in content
    assert "I coach candidates" in content
    assert 'value="admin"' not in content
    assert 'autocomplete="email"' in content
    assert 'autocomplete="new-password"' in content


def test_signup_creates_the_account_and_signs_in(client, db):
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 302
    assert response.url == "/"
    user = User.objects.get(username="dana")
    assert user.email == "dana@example.com"
    assert user.role == "coach"
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff and not user.is_superuser
    assert signed_in_id(client) == user.pk


def test_signup_rejects_a_taken_username_in_any_case(client, alice):
    response = client.post("/accounts/signup/", signup_data(username="Alice"))
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1
    assert signed_in_id(client) is None


def test_signup_does_not_say_whether_an_email_is_registered(client, alice, mailoutbox):
    fresh = client.post("/accounts/signup/", signup_data())
    client.post("/accounts/logout/")
    taken = client.post(
        "/accounts/signup/", signup_data(username="erin", email="ALICE@example.com")
    )

    # The same answer either way: signed in and sent home, and a mail to the address.
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url) == (302, "/")
    erin = User.objects.get(username="erin")
    assert signed_in_id(client) == erin.pk
    assert [m.to for m in mailoutbox] == [["dana@example.com"], ["ALICE@example.com"]]
    welcome, notice = mailoutbox
    assert welcome.subject == "Welcome to Prep"
    assert "http://testserver/accounts/login/" in welcome.body
    # The address stays with alice's account alone; the mail tells her, not the newcomer.
    assert notice.subject == "Your address is already on Prep"
    assert "already belongs to your account alice" in notice.body
    assert "http://testserver/accounts/password/reset/" in notice.body
    assert erin.email == ""
    assert User.objects.filter(email__iexact="alice@example.com").get() == alice


def test_signup_with_a_taken_email_shows_only_the_other_errors(client, alice):
    response = client.post(
        "/accounts/signup/", signup_data(email="alice@example.com", password2="something-else-77")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The two password fields didn’t match." in content
    assert "already" not in content
    assert not User.objects.filter(username="dana").exists()


def test_signup_succeeds_when_the_welcome_mail_cannot_be_sent(client, db, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("accounts.services.send_mail", refuse)
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 302
    assert User.objects.get(username="dana").email == "dana@example.com"
    assert "could not send the sign-up mail for dana" in caplog.text


def test_signup_rejects_mismatched_passwords_and_points_to_the_error(client, db):
    response = client.post("/accounts/signup/", signup_data(password2="something-else-77"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "The two password fields didn’t match." in content
    # The error is tied to its input, and the input takes focus.
    password2 = re.search(r"<input[^>]*name=\"password2\"[^>]*>", content).group(0)
    assert 'aria-invalid="true"' in password2
    assert "id_password2_error" in password2
    assert "autofocus" in password2
    assert 'id="id_password2_error"' in content
    assert content.count("autofocus") == 1
    assert not User.objects.exists()


def test_signup_refuses_a_crafted_admin_role(client, db):
    response = client.post("/accounts/signup/", signup_data(role="admin"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not User.objects.exists()


def test_signup_ignores_crafted_staff_flags(client, db):
    client.post("/accounts/signup/", signup_data(is_staff="on", is_superuser="on"))
    user = User.objects.get(username="dana")
    assert user.role == "coach"
    assert not user.is_staff and not user.is_superuser and not user.is_admin_role


def test_signup_sends_signed_in_users_home(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 302
    assert not User.objects.filter(username="dana").exists()


# Log in and out


def test_login_works(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_id(client) == alice.pk


def test_login_follows_a_safe_next_only(client, alice):
    credentials = {"username": "alice", "password": PASSWORD}
    response = client.post("/accounts/login/?next=/questions/", credentials)
    assert response.url == "/questions/"
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/?next=https://evil.example/", credentials)
    assert response.url == "/"


def test_login_with_a_wrong_password_says_so_and_focuses_the_message(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Please enter a correct username and password." in content
    assert re.search(r'<div class="errors" id="form-errors" tabindex="-1" autofocus>', content)
    assert 'aria-describedby="form-errors"' in content
    assert content.count("autofocus") == 1
    assert signed_in_id(client) is None


def test_logout_signs_out_on_post(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_id(client) is None


def test_logout_refuses_get(client, alice):
    client.force_login(alice)
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert signed_in_id(client) == alice.pk


# Passwords


def test_password_change_needs_a_signed_in_user(client, db):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/password/change/"


def test_password_change_works(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == "/accounts/password/change/done/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # Django keeps this session valid after the change.
    assert client.get("/accounts/password/change/done/").status_code == 200


def test_password_change_validates_the_old_password(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Your old password was entered incorrectly." in content
    assert re.search(r'<input[^>]*name="old_password"[^>]*autofocus', content)
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_reset_email_link_sets_a_new_password(client, alice, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.com"]
    assert mail.subject == "Reset your Prep password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", mail.body).group(1)

    # Django swaps the token for a session-held one, then shows the form there.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/complete/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)

    # The link is spent once used.
    response = client.get(link, follow=True)
    assert not response.context["validlink"]
    assert "This link no longer works" in response.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, db, mailoutbox
):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"
    assert mailoutbox == []


# Throttling


def test_five_failed_logins_lock_that_username_out(client, alice, bob):
    # The fifth failure is the one that locks.
    assert fail_login(client, "alice", 5) == [200, 200, 200, 200, 429]
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many failed sign-ins" in content
    assert "Try again in 15 minutes." in content
    assert signed_in_id(client) is None

    # Another user on the same IP is unaffected.
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_id(client) == bob.pk


def test_four_failed_logins_do_not_lock_and_a_success_resets_the_count(client, alice):
    assert fail_login(client, "alice", 4) == [200] * 4
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert fail_login(client, "alice", 4) == [200] * 4
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_the_lockout_lifts_after_fifteen_quiet_minutes(client, alice):
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        fail_login(client, "alice", 5)
        clock.shift(timedelta(minutes=14))
        response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 429
        # That attempt restarted the wait.
        clock.shift(timedelta(minutes=14))
        response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 429
        clock.shift(timedelta(minutes=15, seconds=1))
        response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 302


def test_the_admin_login_is_throttled_too(client, admin_user):
    assert fail_login(client, "ada", 5, url="/admin/login/")[-1] == 429
    response = client.post("/admin/login/?next=/admin/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # The lock is on the username, whichever form was used.
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429


# Roles


@pytest.mark.urls(__name__)
def test_role_required_sends_anonymous_users_to_login(client, db):
    response = client.get("/coach-only/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/coach-only/"


@pytest.mark.urls(__name__)
def test_role_required_lets_the_role_in(client, bob):
    client.force_login(bob)
    response = client.get("/coach-only/")
    assert response.status_code == 200
    assert response.content == b"coach page"


@pytest.mark.urls(__name__)
def test_role_required_denies_other_roles_with_a_friendly_page(client, alice):
    client.force_login(alice)
    response = client.get("/coach-only/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "You don't have access to this page" in content
    assert "signed in as alice (Candidate)" in content
    assert b"coach page" not in response.content


@pytest.mark.urls(__name__)
def test_role_required_accepts_any_listed_role(client, alice, bob):
    for user in (alice, bob):
        client.force_login(user)
        assert client.get("/members-only/").status_code == 200


@pytest.mark.urls(__name__)
def test_admins_pass_every_role_check(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/coach-only/").status_code == 200
    superuser = UserFactory(username="root", role="candidate", is_superuser=True)
    client.force_login(superuser)
    assert client.get("/coach-only/").status_code == 200


def test_role_required_refuses_unknown_roles():
    with pytest.raises(ValueError, match="coahc"):
        role_required("coahc")
    with pytest.raises(ValueError):
        role_required()


# What each page shows


def test_header_for_signed_out_visitors(client, db):
    content = client.get("/questions/").content.decode()
    assert 'href="/accounts/login/"' in content
    assert 'href="/accounts/signup/"' in content
    assert "Sign out" not in content
    assert "Change password" not in content
    assert "Curate" not in content


def test_header_for_a_candidate(client, alice):
    client.force_login(alice)
    content = client.get("/questions/").content.decode()
    assert "Signed in as alice (Candidate)" in content
    assert 'href="/accounts/password/change/"' in content
    assert re.search(r'<form method="post" action="/accounts/logout/">\s*<input', content)
    assert 'href="/accounts/signup/"' not in content
    assert "Curate" not in content


def test_header_for_an_admin(client, admin_user):
    client.force_login(admin_user)
    content = client.get("/questions/").content.decode()
    assert "Signed in as ada (Admin)" in content
    assert 'href="/admin/"' in content


def test_header_marks_the_current_page(client, db):
    content = client.get("/accounts/login/").content.decode()
    assert '<a href="/accounts/login/" aria-current="page">Sign in</a>' in content


def test_unknown_pages_get_the_site_404(client, alice):
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "Signed in as alice" in content
