import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from coaching import services
from coaching.models import CoachLink, Notification
from coaching.permissions import answers_visible_to
from tests.coaching_helpers import coach, link, transcript


def test_a_candidate_invites_a_coach_who_accepts_by_link(client, alice, bob):
    main = transcript(alice)
    client.force_login(alice)
    response = client.post(reverse("coaching:invite_create"), headers={"HX-Request": "true"})
    invite = CoachLink.objects.get()
    html = response.content.decode()
    assert f"http://testserver/coach/invite/{invite.code}/" in html
    assert f'value="{invite.code}"' in html and 'for="invite-code"' in html
    assert invite.coach is None and invite.is_pending

    client.force_login(bob)
    page = client.get(invite.get_invite_url())
    assert page.status_code == 200 and "Accept invite from alice" in page.content.decode()
    assert not answers_visible_to(bob).filter(pk=main.pk).exists()
    response = client.post(invite.get_invite_url())
    assert response.status_code == 302 and response["Location"] == reverse("coaching:queue")
    invite.refresh_from_db()
    assert invite.is_active and invite.coach == bob
    assert answers_visible_to(bob).filter(pk=main.pk).exists()
    assert Notification.objects.filter(user=alice, text__contains="bob accepted").exists()


def test_a_coach_can_type_the_code_instead(client, alice, bob):
    invite = services.create_invite(candidate=alice)
    client.force_login(bob)
    response = client.post(reverse("coaching:accept_code"), {"code": f"  {invite.code} "})
    assert response.status_code == 302
    invite.refresh_from_db()
    assert invite.coach == bob


@pytest.mark.parametrize("code", ["nonsense", ""])
def test_a_wrong_code_is_refused_with_a_message(client, bob, code):
    client.force_login(bob)
    response = client.post(reverse("coaching:accept_code"), {"code": code})
    assert response.status_code == 400
    html = response.content.decode()
    assert "not valid" in html or "This field is required" in html
    assert not CoachLink.objects.exists()


def test_a_revoked_or_used_invite_cannot_be_accepted(client, alice, bob):
    dora = coach("dora")
    used = services.create_invite(candidate=alice)
    services.accept_invite(code=used.code, coach=bob)
    withdrawn = services.create_invite(candidate=alice)
    services.revoke_link(link=withdrawn, by=alice)
    client.force_login(dora)
    for invite, message in [(used, "not valid"), (withdrawn, "not valid")]:
        response = client.post(invite.get_invite_url())
        assert response.status_code == 404
        assert message in response.content.decode()
    assert not CoachLink.objects.filter(coach=dora).exists()
    with pytest.raises(services.CoachingError, match="another coach"):
        services.accept_invite(code=used.code, coach=dora)


def test_only_coaches_accept_and_only_candidates_invite(client, alice, charlie, bob):
    invite = services.create_invite(candidate=alice)
    client.force_login(charlie)
    assert client.post(invite.get_invite_url()).status_code == 403
    with pytest.raises(services.CoachingError):
        services.accept_invite(code=invite.code, coach=charlie)
    with pytest.raises(services.CoachingError):
        services.create_invite(candidate=bob)
    invite.refresh_from_db()
    assert invite.coach is None


def test_a_candidate_revokes_a_coach_who_then_sees_nothing(client, alice, bob):
    main = transcript(alice)
    active = link(alice, bob)
    client.force_login(alice)
    page = client.get(reverse("coaching:my_coaches")).content.decode()
    assert "Revoke coach bob" in page
    response = client.post(reverse("coaching:link_revoke", args=[active.pk]))
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.revoked_at is not None
    assert not answers_visible_to(bob).filter(pk=main.pk).exists()
    assert Notification.objects.filter(user=bob, text__contains="no longer").exists()
    client.force_login(bob)
    assert client.get(reverse("coaching:transcript", args=[main.pk])).status_code == 404


def test_a_candidate_cannot_revoke_someone_elses_link(client, alice, charlie, bob):
    theirs = link(charlie, bob)
    client.force_login(alice)
    assert client.post(reverse("coaching:link_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_an_admin_assigns_a_coach(client, admin_user, alice, bob, charlie):
    client.force_login(admin_user)
    response = client.post(reverse("coaching:assign"), {"candidate": alice.pk, "coach": bob.pk})
    assert response.status_code == 302
    made = CoachLink.objects.get()
    assert made.is_active and made.created_by == admin_user
    assert Notification.objects.filter(user=bob, text="You now coach alice.").exists()

    again = client.post(reverse("coaching:assign"), {"candidate": alice.pk, "coach": bob.pk})
    assert again.status_code == 400 and "already coaches" in again.content.decode()
    wrong = client.post(reverse("coaching:assign"), {"candidate": alice.pk, "coach": charlie.pk})
    assert wrong.status_code == 400
    assert CoachLink.objects.count() == 1


def test_an_admin_assigns_through_the_django_admin(client, admin_user, alice, bob):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:coaching_coachlink_add"), {"candidate": alice.pk, "coach": bob.pk}
    )
    assert response.status_code == 302
    made = CoachLink.objects.get()
    assert made.is_active and made.created_by == admin_user
    refused = client.post(
        reverse("admin:coaching_coachlink_add"), {"candidate": bob.pk, "coach": alice.pk}
    )
    assert refused.status_code == 200 and "is not a candidate" in refused.content.decode()
    assert CoachLink.objects.count() == 1


def test_the_database_keeps_one_live_link_per_pair_and_no_self_coaching(alice, bob):
    link(alice, bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        link(alice, bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachLink.objects.create(candidate=bob, coach=bob, created_by=bob)
    # A revoked link is history: the pair may be linked again.
    CoachLink.objects.filter(candidate=alice).update(revoked_at="2026-01-01T00:00Z")
    link(alice, bob)
    assert CoachLink.objects.active().count() == 1
