"""Two sends of the same start form at once (prep.lib.once) start one round: on PostgreSQL, with
real concurrent transactions (a module of its own: it commits, so it cannot share the
module-loaded bank of test_start_once.py)."""

import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from rounds import services
from rounds.models import Answer, Round
from tests.conftest import GTM_BANK
from tests.threads import at_once


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_start_one_round(alice):
    """The second INSERT waits on the unique key until the first commits, then finds its round."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (CI runs this on it)")
    call_command("loaddata", *GTM_BANK, verbosity=0)
    key = uuid.uuid4()

    found = at_once(
        lambda: services.start_round(candidate=alice, kinds=["gtm"], count=1, start_key=key).pk
    )

    assert len(found) == 2 and found[0] == found[1]
    assert Round.objects.filter(candidate=alice).count() == 1
    assert Answer.objects.filter(round_id=found[0]).count() == 1
