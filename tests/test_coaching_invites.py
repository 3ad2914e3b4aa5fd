"""An invite link or code carries a coach through sign-up or sign-in to the accepted invite;
candidates can email an invite (sent through a real SMTP server on 127.0.0.1)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import CoachLink
from coaching.notices import MAX_INVITE_EMAILS_A_DAY
from tests.factories import PASSWORD, CoachLinkFactory

pytestmark = pytest.mark.django_db


def invite(candidate) -> CoachLink:
    return CoachLinkFactory(candidate=candidate, coach=None)


def signup_data(username: str, **extra) -> dict:
    return {
        "username": username,
        "email": f"{username}@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "coach",
        **extra,
    }


def test_a_signed_out_coach_signs_up_from_the_invite_and_lands_on_it_accepted(client, alice):
    link = invite(alice)
    page = client.get(link.get_invite_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "alice invites you to be their coach" in html
    signup = re.search(r'href="(/accounts/signup/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "role=coach" in signup and "next=%2Fcoach%2Finvite%2F" in signup

    form = client.get(signup).content.decode()
    assert f'name="next" value="{link.get_invite_url()}"' in form
    assert re.search(r'value="coach"[^>]*checked', form)
    response = client.post(signup, signup_data("dora", next=link.get_invite_url()))
    assert response.status_code == 302 and response["Location"] == link.get_invite_url()

    landed = client.get(link.get_invite_url())
    link.refresh_from_db()
    dora = User.objects.get(username="dora")
    assert link.is_active and link.coach == dora
    assert landed.status_code == 200
    assert "You coach alice" in landed.content.decode()
    # Only once: the session no longer carries the invite.
    assert "coach_invite" not in client.session


def test_a_signed_out_coach_signs_in_from_the_invite_and_lands_on_it_accepted(client, alice, bob):
    link = invite(alice)
    client.get(link.get_invite_url())
    login = reverse("accounts:login") + f"?next={link.get_invite_url()}"
    response = client.post(login, {"username": "bob", "password": PASSWORD})
    assert response["Location"] == link.get_invite_url()
    landed = client.get(response["Location"])
    link.refresh_from_db()
    assert link.coach == bob and "You coach alice" in landed.content.decode()
    assert "You now coach alice." in landed.content.decode()


def test_the_sign_in_page_passes_next_on_to_sign_up(client):
    html = client.get(reverse("accounts:login") + "?next=/coach/invite/abc/").content.decode()
    assert 'href="/accounts/signup/?next=/coach/invite/abc/"' in html


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_sign_up_never_sends_anyone_off_the_site(client, target):
    response = client.post(reverse("accounts:signup"), signup_data("dora", next=target))
    assert response.status_code == 302 and response["Location"] == "/"
    assert User.objects.filter(username="dora").exists()


def test_a_candidate_signing_in_through_an_invite_cannot_accept_it(client, alice, charlie):
    link = invite(alice)
    client.get(link.get_invite_url())
    client.force_login(charlie)
    assert client.get(link.get_invite_url()).status_code == 403
    link.refresh_from_db()
    assert link.is_pending


def test_an_invite_seen_while_signed_out_is_not_accepted_by_a_plain_visit(client, alice, bob):
    """Signed in without passing through the invite page, a coach still has to press Accept."""
    link = invite(alice)
    client.force_login(bob)
    page = client.get(link.get_invite_url())
    assert "Accept invite from alice" in page.content.decode()
    link.refresh_from_db()
    assert link.is_pending


def test_a_withdrawn_invite_shows_nothing_to_the_signed_out(client, alice):
    link = invite(alice)
    link.revoked_at = timezone.now()
    link.save()
    response = client.get(link.get_invite_url())
    assert response.status_code == 404 and "alice" not in response.content.decode()
    assert "coach_invite" not in client.session


def test_a_signed_out_visitor_with_a_code_is_sent_to_the_invite(client, alice):
    link = invite(alice)
    response = client.post(reverse("coaching:accept_code"), {"code": link.code})
    assert response["Location"] == link.get_invite_url()
    wrong = client.post(reverse("coaching:accept_code"), {"code": "nope"})
    assert wrong.status_code == 400 and "not valid" in wrong.content.decode()


# Invites by email


def test_a_candidate_emails_an_invite(client, alice, smtp_server):
    client.force_login(alice)
    response = client.post(reverse("coaching:invite_email"), {"email": "coach@example.com"})
    assert response.status_code == 302
    link = CoachLink.objects.get(candidate=alice)
    assert link.email == "coach@example.com" and link.emailed_at is not None
    [mail] = smtp_server.messages
    assert mail["To"] == "coach@example.com"
    assert mail["Subject"] == "alice invites you to coach them on Prep"
    body = smtp_server.bodies()[0]
    assert f"http://127.0.0.1:8000{link.get_invite_url()}" in body and link.code in body
    page = client.get(reverse("coaching:my_coaches")).content.decode()
    assert "Invite emailed to coach@example.com." in page and "emailed to coach@example.com" in page


def test_the_invite_email_form_validates(client, alice, smtp_server):
    client.force_login(alice)
    for bad in ("", "not-an-address"):
        response = client.post(reverse("coaching:invite_email"), {"email": bad})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
    assert not CoachLink.objects.exists() and smtp_server.messages == []


def test_the_invite_email_as_an_htmx_fragment(client, alice, smtp_server):
    client.force_login(alice)
    response = client.post(
        reverse("coaching:invite_email"), {"email": "x"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="links"')
    assert "Enter an email address" in html


def test_a_mail_server_that_is_down_is_said_plainly(client, alice, closed_smtp_port):
    client.force_login(alice)
    response = client.post(reverse("coaching:invite_email"), {"email": "coach@example.com"})
    assert response.status_code == 400
    assert "could not be sent just now" in response.content.decode()
    link = CoachLink.objects.get(candidate=alice)
    assert link.is_pending and link.email == "" and link.emailed_at is None


def test_invite_emails_are_limited_per_day(client, alice, smtp_server):
    now = timezone.now()
    for _ in range(MAX_INVITE_EMAILS_A_DAY):
        CoachLinkFactory(candidate=alice, coach=None, email="x@example.com", emailed_at=now)
    CoachLinkFactory(
        candidate=alice, coach=None, email="x@example.com", emailed_at=now - timedelta(days=2)
    )
    client.force_login(alice)
    response = client.post(reverse("coaching:invite_email"), {"email": "coach@example.com"})
    assert response.status_code == 400 and "try again tomorrow" in response.content.decode()
    assert smtp_server.messages == []


def test_only_candidates_email_invites(client, bob, smtp_server):
    client.force_login(bob)
    response = client.post(reverse("coaching:invite_email"), {"email": "coach@example.com"})
    assert response.status_code == 403
    assert not CoachLink.objects.exists() and smtp_server.messages == []


def test_sign_up_takes_only_a_role_people_may_choose(client):
    coach = client.get(reverse("accounts:signup") + "?role=coach").content.decode()
    assert re.search(r'value="coach"[^>]*checked', coach)
    admin = client.get(reverse("accounts:signup") + "?role=admin").content.decode()
    assert re.search(r'value="candidate"[^>]*checked', admin) and 'value="admin"' not in admin
