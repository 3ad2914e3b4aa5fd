"""Every role against candidate A's round, answers, feedback and reviews, read and write.

Only A, A's coach and admins may read; only A's coach and admins may review; only the coach
who wrote a review may change it; only A may write to A's round. Everyone else gets a 404 (the
object might as well not exist) and anonymous visitors the login page; refused writes change
nothing.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from coaching import services
from coaching.models import Review, ReviewComment, ReviewFlag, ReviewScore
from rounds.models import Round
from tests.coaching_helpers import coach, link, transcript
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["candidate_a", "candidate_b", "coach_a", "coach_b", "unlinked", "revoked", "admin", "anon"]
READERS = {"candidate_a", "coach_a", "admin"}
REVIEWERS = {"coach_a", "admin"}


@dataclass
class World:
    users: dict
    main: object
    follow_up: object
    review: Review
    old_review: Review
    comment: ReviewComment
    flag: ReviewFlag


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """alice is candidate A with coach bob; charlie is candidate B with coach dora; fay coached
    alice once and wrote a review, then alice revoked her; ed coaches nobody.

    Built once for the module inside a transaction that is rolled back at its end; each test
    runs in a savepoint within it, so what one test writes the next never sees."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    alice = UserFactory(username="alice", role="candidate")
    bob = UserFactory(username="bob", role="coach")
    charlie = UserFactory(username="charlie", role="candidate")
    admin_user = UserFactory(username="ada", role="admin", is_staff=True, is_superuser=True)
    dora, ed, fay = coach("dora"), coach("ed"), coach("fay")
    link(alice, bob)
    link(charlie, dora)
    fay_link = link(alice, fay)
    main = transcript(alice)
    transcript(charlie, title="Charlie's question")

    old = services.start_review(answer=main, coach=fay)
    services.mark_reviewed(review=old, comment="Written while I coached alice.")
    services.revoke_link(link=fay_link, by=alice)

    review = services.start_review(answer=main, coach=bob)
    comment = services.add_comment(review=review, answer_id=main.pk, text="Bob's comment.")
    flag = services.flag(
        review=review,
        answer_id=main.pk,
        failure_mode_key="vanity_metrics",
        action="remove",
        reason="Only a side note.",
    )
    services.mark_reviewed(review=review, comment="Bob's review.")
    users = {
        "candidate_a": alice,
        "candidate_b": charlie,
        "coach_a": bob,
        "coach_b": dora,
        "unlinked": ed,
        "revoked": fay,
        "admin": admin_user,
        "anon": None,
    }
    return World(users, main, main.follow_up, review, old, comment, flag)


def state() -> tuple:
    return (
        Review.objects.count(),
        ReviewComment.objects.count(),
        ReviewFlag.objects.count(),
        sorted(ReviewScore.objects.values_list("pk", "score")),
        sorted(Review.objects.values_list("pk", "comment", "status")),
        sorted(Round.objects.values_list("pk", "finished_at")),
    )


def c(name: str, *args) -> str:
    return reverse(f"coaching:{name}", args=args)


# (resource, action, method, url builder, data builder, who is allowed)
CASES = [
    ("round", "read", "get", lambda w: c("round", w.main.round_id), None, READERS),
    (
        "round",
        "write",
        "post",
        lambda w: reverse("practice:finish", args=[w.main.round_id]),
        None,
        {"candidate_a"},
    ),
    ("answer", "read", "get", lambda w: c("transcript", w.main.pk), None, READERS),
    ("answer", "read", "get", lambda w: c("transcript", w.follow_up.pk), None, READERS),
    (
        "answer",
        "write",
        "post",
        lambda w: c("comment", w.main.pk),
        lambda w: {"answer": w.main.pk, "text": "Intruder's comment."},
        REVIEWERS,
    ),
    ("feedback", "read", "get", lambda w: c("print", w.main.pk), None, READERS),
    ("feedback", "read", "get", lambda w: c("scores_csv", w.main.candidate_id), None, READERS),
    (
        "feedback",
        "write",
        "post",
        lambda w: c("scores", w.main.pk),
        lambda w: {f"score-{w.main.pk}-staging": "5"},
        REVIEWERS,
    ),
    (
        "feedback",
        "write",
        "post",
        lambda w: c("flag", w.main.pk),
        lambda w: {
            "answer": w.main.pk,
            "action": "add",
            "failure_mode": "no_measurement_plan",
            "reason": "Intruder's flag.",
        },
        REVIEWERS,
    ),
    ("review", "read", "get", lambda w: c("review", w.review.pk), None, READERS),
    # The revoked coach wrote this one, and may no longer read it.
    (
        "review",
        "read",
        "get",
        lambda w: c("review", w.old_review.pk),
        None,
        {"candidate_a", "admin"},
    ),
    (
        "review",
        "write",
        "post",
        lambda w: c("mark_reviewed", w.main.pk),
        lambda w: {"comment": "Overwritten?"},
        REVIEWERS,
    ),
    (
        "review",
        "write",
        "post",
        lambda w: c("comment_delete", w.main.pk, w.comment.pk),
        None,
        {"coach_a"},
    ),
    ("review", "write", "post", lambda w: c("flag_undo", w.main.pk, w.flag.pk), None, {"coach_a"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("resource", "action", "method", "make_url", "make_data", "allowed"),
    CASES,
    ids=[f"{case[0]}-{case[1]}-{i}" for i, case in enumerate(CASES)],
)
def test_the_permission_matrix(
    client, world, role, resource, action, method, make_url, make_data, allowed
):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = make_url(world)
    before = state()

    response = getattr(client, method)(url, make_data(world) if make_data else {})

    if role in allowed:
        assert response.status_code in (200, 302), response.status_code
        assert "/accounts/login/" not in response.get("Location", "")
    elif role == "anon":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert state() == before
    else:
        assert response.status_code == 404, (role, url, response.status_code)
        assert state() == before


def test_an_admin_review_is_the_admins_own_and_leaves_the_coachs_intact(client, world):
    client.force_login(world.users["admin"])
    client.post(c("mark_reviewed", world.main.pk), {"comment": "Admin's view."})
    world.review.refresh_from_db()
    assert world.review.comment == "Bob's review."
    assert Review.objects.filter(coach=world.users["admin"], comment="Admin's view.").exists()


@pytest.mark.parametrize("role", ["candidate_a", "candidate_b"])
def test_candidates_cannot_open_the_coach_pages(client, world, role):
    client.force_login(world.users[role])
    assert client.get(c("queue")).status_code == 403
    assert client.get(c("agreement")).status_code == 403
    assert client.get(c("accept_code")).status_code == 403


@pytest.mark.parametrize("role", ["coach_a", "candidate_a"])
def test_only_admins_see_agreement_and_assign(client, world, role):
    client.force_login(world.users[role])
    assert client.get(c("agreement")).status_code == 403
    assert client.get(c("assign")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for name in ("queue", "agreement", "notifications", "my_coaches"):
        response = client.get(c(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_revoked_coach_loses_the_queue_too(client, world):
    client.force_login(world.users["revoked"])
    html = client.get(c("queue"), {"status": "all"}).content.decode()
    assert "0</strong> transcripts match" in html
