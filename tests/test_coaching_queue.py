from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from coaching import services
from tests.coaching_helpers import coach, link, transcript

QUEUE = reverse("coaching:queue")
DAY = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def make_queue(candidate, n: int, *, start=DAY):
    return [
        transcript(
            candidate,
            title=f"Question {i:02d}",
            kind=["gtm", "execution"][i % 2],
            submitted_at=start - timedelta(days=i),
            hits={"premature_scaling": ["We launch worldwide on day one"]} if i % 3 == 0 else {},
            follow_up_hits={},
        )
        for i in range(n)
    ]


def test_it_lists_only_this_coachs_candidates_scored_transcripts(client, alice, bob, charlie):
    link(alice, bob)
    mine = make_queue(alice, 2)
    transcript(charlie, title="Answer from Charlie")  # not bob's candidate
    transcript(alice, title="Not scored yet", scored=False)
    client.force_login(bob)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Question 00" in html and "Question 01" in html
    assert "Answer from Charlie" not in html and "Not scored yet" not in html
    assert reverse("coaching:transcript", args=[mine[0].pk]) in html
    assert "<strong>2</strong> transcripts match" in html


def test_it_filters_and_counts(client, alice, bob, charlie):
    link(alice, bob)
    link(charlie, bob)
    alices = make_queue(alice, 6)
    transcript(charlie, title="Answer from Charlie", submitted_at=DAY, hits={}, follow_up_hits={})
    services.mark_reviewed(review=services.start_review(answer=alices[0], coach=bob), comment="")
    client.force_login(bob)

    def get(**filters):
        return client.get(QUEUE, filters).content.decode()

    html = get()  # by default: what waits for review
    assert "<strong>7</strong> transcripts match" in html
    assert "<strong>6</strong> waiting for review" in html and "<strong>1</strong> reviewed" in html
    assert "Question 00" not in html and "Question 01" in html

    assert "Question 00" in get(status="reviewed") and "Question 01" not in get(status="reviewed")
    assert "<strong>7</strong> transcripts match" in get(status="all")

    html = get(candidate=charlie.pk, status="all")
    assert "Answer from Charlie" in html and "Question 01" not in html

    html = get(kind="execution", status="all")  # odd i
    assert "<strong>3</strong> transcripts match" in html and "Question 01" in html

    html = get(failure_mode="premature_scaling", status="all")  # i = 0 and 3
    assert "<strong>2</strong> transcripts match" in html and "Question 03" in html

    html = get(since="2026-03-07", until="2026-03-08", status="all")  # i = 2 and 3
    assert "<strong>2</strong> transcripts match" in html
    assert "Question 02" in html and "Question 03" in html


def test_it_explains_filters_it_cannot_use(client, alice, bob, charlie):
    link(alice, bob)
    make_queue(alice, 2)
    client.force_login(bob)
    response = client.get(QUEUE, {"kind": "astrology", "candidate": charlie.pk, "status": "all"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "were not understood" in html
    assert "<strong>2</strong> transcripts match" in html  # ignored, not applied

    html = client.get(QUEUE, {"since": "2026-03-09", "until": "2026-03-01"}).content.decode()
    assert "start date must be on or before the end date" in html


def test_it_paginates_and_answers_htmx_with_the_results(client, alice, bob):
    link(alice, bob)
    make_queue(alice, 23)
    client.force_login(bob)
    first = client.get(QUEUE).content.decode()
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get(QUEUE, {"page": 2}, headers={"HX-Request": "true"})
    html = second.content.decode()
    assert html.lstrip().startswith('<section id="results"') and "<html" not in html
    assert "Page 2 of 2" in html and "Question 22" in html


def test_admins_see_every_candidate(client, alice, charlie, admin_user):
    transcript(alice, title="Alice's")
    transcript(charlie, title="Charlie's")
    client.force_login(admin_user)
    html = client.get(QUEUE).content.decode()
    assert "Alice&#x27;s" in html and "Charlie&#x27;s" in html


@pytest.mark.parametrize("n", [3, 30])
def test_a_page_costs_the_same_queries_whatever_its_size(
    client, alice, bob, django_assert_num_queries, n
):
    other = coach("dora")
    link(alice, bob)
    link(alice, other)
    answers = make_queue(alice, n)
    for answer in answers[::2]:  # reviews by bob and by another coach on some transcripts
        services.mark_reviewed(review=services.start_review(answer=answer, coach=other), comment="")
    client.force_login(bob)
    # session, user, unread notifications, counts, page count, page, 2 x (feedback, hits),
    # candidates and failure modes for the filter form
    with django_assert_num_queries(12):
        response = client.get(QUEUE, {"status": "all"})
    assert response.status_code == 200
    assert f"<strong>{n}</strong> transcripts match" in response.content.decode()
