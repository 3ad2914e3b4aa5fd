from django.core.management import call_command

from accounts.models import User
from coaching.models import CoachLink, Notification, Review, ReviewComment
from feedback.models import Feedback
from rounds.models import Answer, Round


def passwords_in(out: str) -> dict[str, str]:
    return {
        words[2]: words[4]
        for words in (line.split() for line in out.splitlines())
        if len(words) == 5 and words[1] == "username:"
    }


def test_it_creates_three_roles_and_prints_working_passwords(db, capsys):
    call_command("create_demo_accounts")
    passwords = passwords_in(capsys.readouterr().out)
    assert set(passwords) == {"candidate", "coach", "admin"}
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="coach").role == "coach"
    assert not User.objects.get(username="candidate").is_staff


def test_running_it_again_resets_rather_than_duplicates(db, capsys):
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")
    assert User.objects.count() == 3


def test_without_the_bank_it_seeds_nothing_and_says_so(db, capsys):
    call_command("create_demo_accounts")

    assert "the question bank is not loaded" in capsys.readouterr().out
    assert not Round.objects.exists()


def test_it_gives_the_candidate_scored_rounds_of_varied_quality(gtm_bank, capsys):
    call_command("create_demo_accounts")

    candidate = User.objects.get(username="candidate")
    assert "Demo data: 3 scored rounds (4 answers)" in capsys.readouterr().out
    rounds = Round.objects.filter(candidate=candidate)
    assert rounds.count() == 3 and all(r.is_finished for r in rounds)
    answers = Answer.objects.filter(candidate=candidate)
    assert answers.count() == 8  # four questions, each with its follow-up answered
    assert all(a.is_submitted and a.time_used_seconds for a in answers)
    feedback = Feedback.objects.filter(answer__candidate=candidate, scorer="heuristic")
    assert feedback.count() == 8 and not feedback.filter(overall__isnull=True).exists()
    mains = {
        f.answer.text[:30]: f
        for f in feedback.filter(answer__follow_up_of__isnull=True).select_related("answer")
    }
    overall = sorted(float(f.overall) for f in mains.values())
    assert overall[0] < 2 and overall[-1] > 4.5  # weak to strong
    modes = {h.failure_mode.key for f in mains.values() for h in f.failure_mode_hits.all()}
    assert {"premature_scaling", "vanity_metrics", "no_diagnosis"} <= modes


def test_it_adds_a_coach_review_with_a_changed_score_and_comments(gtm_bank):
    call_command("create_demo_accounts")

    candidate = User.objects.get(username="candidate")
    coach = User.objects.get(username="coach")
    assert CoachLink.objects.active().filter(candidate=candidate, coach=coach).exists()
    review = Review.objects.get(coach=coach)
    assert review.is_reviewed and "Redo this with a pilot" in review.comment
    changed = [s for s in review.scores.all() if s.score != s.scorer_score]
    assert len(changed) == 1
    comment = ReviewComment.objects.get(review=review)
    assert comment.quote == "launch in every market at once"
    assert review.answer.text[comment.start : comment.end] == comment.quote
    assert Notification.objects.filter(user=candidate, text__contains="reviewed your answer")
    # The strong retry is still waiting in the coach's queue.
    assert Answer.objects.filter(candidate=candidate, follow_up_of__isnull=True).count() == 4


def test_seeding_is_idempotent(gtm_bank, capsys):
    call_command("create_demo_accounts")
    counts = [m.objects.count() for m in (Round, Answer, Feedback, Review, CoachLink)]

    call_command("create_demo_accounts")

    assert [m.objects.count() for m in (Round, Answer, Feedback, Review, CoachLink)] == counts
    assert "Demo data: already there" in capsys.readouterr().out
    assert User.objects.count() == 3


def test_every_page_has_something_to_show(gtm_bank, client):
    call_command("create_demo_accounts")
    candidate = User.objects.get(username="candidate")
    coach = User.objects.get(username="coach")

    client.force_login(candidate)
    rounds = client.get("/rounds/")
    finished = Round.objects.filter(candidate=candidate).first()
    summary = client.get(f"/rounds/{finished.pk}/summary/")
    notifications = client.get("/coach/notifications/")
    client.force_login(coach)
    queue = client.get("/coach/")
    client.force_login(User.objects.get(username="admin"))
    agreement = client.get("/coach/agreement/")

    assert rounds.text.count("Finished") == 3
    assert "coach reviewed your answer" in notifications.text
    assert "<strong>1</strong> finished review" in agreement.text
    assert summary.status_code == 200 and "Not answered" not in summary.text
    assert queue.status_code == 200
    assert "Go-to-market for an AI avatar tool" in queue.text and "To review" in queue.text
