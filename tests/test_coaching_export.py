import csv
import io
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from coaching import services
from tests.coaching_helpers import MAIN_TEXT, link, transcript

MARCH = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
APRIL = datetime(2026, 4, 6, 10, 0, tzinfo=UTC)


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_lists_scores_over_time_with_the_coachs_beside_the_scorers(client, alice, bob):
    link(alice, bob)
    first = transcript(
        alice, title="First question", submitted_at=MARCH, scores={"staging": 2, "metrics": 3}
    )
    transcript(
        alice, title="=HYPERLINK(evil)", submitted_at=APRIL, scores={"staging": 4, "metrics": 4}
    )
    transcript(alice, title="Never scored", scored=False)
    review = services.start_review(answer=first, coach=bob)
    services.set_scores(review=review, scores={(first.pk, "staging"): 4})
    services.mark_reviewed(review=review, comment="")

    client.force_login(bob)
    response = client.get(reverse("coaching:scores_csv", args=[alice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="alice-scores.csv"' in response["Content-Disposition"]
    march, april = rows(response)
    assert march == {
        "date": "2026-03-02",
        "question": "First question",
        "kind": "Go-to-market",
        "scorer overall": "2.40",
        # coach: staging 4 (weight 0.6), metrics 3 (0.4) -> 3.60
        "coach overall": "3.60",
        "reviewed by": "bob",
        "staging (scorer)": "2",
        "staging (coach)": "4",
        "metrics (scorer)": "3",
        "metrics (coach)": "3",
    }
    assert april["date"] == "2026-04-06" and april["coach overall"] == ""
    assert april["question"] == "'=HYPERLINK(evil)"  # not run as a formula by a spreadsheet
    assert april["staging (coach)"] == ""


def test_the_candidate_downloads_their_own_csv_but_not_another_s(client, alice, charlie, bob):
    link(alice, bob)
    main = transcript(alice, submitted_at=MARCH)
    draft = services.start_review(answer=main, coach=bob)
    services.set_scores(review=draft, scores={(main.pk, "staging"): 5})
    client.force_login(alice)
    [row] = rows(client.get(reverse("coaching:scores_csv", args=[alice.pk])))
    assert row["staging (coach)"] == ""  # a draft review is the coach's alone
    assert client.get(reverse("coaching:scores_csv", args=[charlie.pk])).status_code == 404


def test_the_printable_page_has_the_transcript_feedback_and_review(client, alice, bob):
    link(alice, bob)
    main = transcript(alice)
    review = services.start_review(answer=main, coach=bob)
    start = MAIN_TEXT.index("views and likes")
    services.add_comment(
        review=review,
        answer_id=main.pk,
        text="Which behaviour?",
        start=start,
        end=start + 15,
        quote="views and likes",
    )
    services.mark_reviewed(review=review, comment="Stage the launch.")
    client.force_login(alice)
    response = client.get(reverse("coaching:print", args=[main.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="evidence" title="Vanity metrics">views and likes</mark>' in html
    assert "Automatic feedback: 2.40 / 5" in html and "Advice on premature_scaling." in html
    assert "How would you know it worked?" in html  # the follow-up
    assert "Stage the launch." in html and "Which behaviour?" in html
    assert "css/coaching.css" in html
    assert "@media print" in (settings.BASE_DIR / "static/css/coaching.css").read_text()
