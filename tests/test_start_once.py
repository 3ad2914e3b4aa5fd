"""A form that starts a round, sent twice (a double click, a resend after a dropped connection),
starts one round: each such form carries a key made when its page was drawn (prep.lib.once)."""

import re
import uuid

import pytest
from django.urls import reverse

from questions.models import Question
from rounds import services
from rounds.models import Answer, Round

pytestmark = pytest.mark.usefixtures("gtm_bank")

SLUG = "creator-subscriptions-launch-germany-france"
TEXT = (
    "I would launch creator subscriptions in Germany first, to 500 creators with loyal fans, "
    "and judge it by renewal after the first month before going to France."
)


def _question() -> Question:
    return Question.objects.get(slug=SLUG)


def _submitted(candidate) -> Answer:
    round_ = services.start_practice(candidate=candidate, questions=[_question()])
    answer = services.open_answer(answer=round_.answers.get())
    services.submit_answer(answer=answer, text=TEXT)
    return answer


def _key(html: str) -> str:
    keys = re.findall(r'name="start_key" value="([0-9a-f-]{36})"', html)
    assert len(keys) == 1, "the page should draw one start form with its key"
    return keys[0]


def test_the_same_key_starts_one_round_and_another_key_a_second(alice):
    key = uuid.uuid4()
    first = services.start_round(candidate=alice, kinds=["gtm"], count=2, start_key=key)
    again = services.start_round(candidate=alice, kinds=["gtm"], count=2, start_key=key)
    assert again == first and Round.objects.count() == 1 and first.answers.count() == 2

    practice = services.start_practice(candidate=alice, questions=[_question()], start_key=key)
    assert practice == first  # a key is the candidate's: one round, whichever form used it

    other = services.start_practice(
        candidate=alice, questions=[_question()], start_key=uuid.uuid4()
    )
    keyless = [services.start_practice(candidate=alice, questions=[_question()]) for _ in range(2)]
    assert len({first.pk, other.pk, *(r.pk for r in keyless)}) == 4


def test_a_key_is_per_candidate(alice, bob):
    key = uuid.uuid4()
    mine = services.start_round(candidate=alice, kinds=["gtm"], count=1, start_key=key)
    theirs = services.start_round(candidate=bob, kinds=["gtm"], count=1, start_key=key)
    assert mine != theirs and theirs.candidate == bob


def test_once_the_round_has_begun_its_form_sent_again_starts_a_new_one(alice):
    """Back to the form in the browser's history and sent again: the candidate wants another."""
    key = uuid.uuid4()
    first = services.start_round(candidate=alice, kinds=["gtm"], count=1, start_key=key)
    assert services.start_round(candidate=alice, kinds=["gtm"], count=1, start_key=key) == first
    services.begin_round(round_=first)
    second = services.start_round(candidate=alice, kinds=["gtm"], count=1, start_key=key)
    assert second != first and Round.objects.count() == 2


def _entry_points(alice, on_commit):
    """(page that draws the form, where it posts, what it posts besides its key); a scored
    answer gives the retry and plan pages something to start."""
    with on_commit(execute=True):
        answer = _submitted(alice)
    Round.objects.exclude(pk=answer.round_id).delete()
    plan = reverse("progress:plan")
    return {
        "home": ("/", reverse("practice:quick_start"), {}),
        "new": (reverse("practice:new"), reverse("practice:new"), {"kinds": ["gtm"], "count": 1}),
        "bank": (reverse("questions:bank"), reverse("attempts:practise"), {"questions": SLUG}),
        "question": (
            reverse("questions:detail", args=[SLUG]),
            reverse("attempts:practise"),
            {"questions": SLUG},
        ),
        "retry": (
            reverse("attempts:retry", args=[answer.pk]),
            reverse("attempts:retry", args=[answer.pk]),
            {},
        ),
        "plan": (plan, reverse("progress:start_plan"), {"question": [_question().pk]}),
    }


@pytest.mark.parametrize("entry", ["home", "new", "bank", "question", "retry", "plan"])
def test_every_start_form_sent_twice_starts_one_round(
    client, alice, entry, django_capture_on_commit_callbacks
):
    page, action, data = _entry_points(alice, django_capture_on_commit_callbacks)[entry]
    client.force_login(alice)
    before = Round.objects.count()
    key = _key(client.get(page).text)

    first = client.post(action, data | {"start_key": key})
    second = client.post(action, data | {"start_key": key})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Round.objects.count() == before + 1
    # The page drawn again carries a new key: a new round from it is a new round.
    third = client.post(action, data | {"start_key": _key(client.get(page).text)})
    assert third["Location"] != first["Location"] and Round.objects.count() == before + 2


def test_a_malformed_key_is_ignored_rather_than_refused(client, alice):
    client.force_login(alice)
    response = client.post(reverse("practice:quick_start"), {"start_key": "not-a-key"})
    assert response.status_code == 302 and Round.objects.get().start_key is None
