"""A failure mode's signals are refused where they are edited when the scorer could not use
them: in the admin, by import_bank and by the system check, each naming the field."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from questions.bank_io import import_bank
from rubrics.checks import failure_mode_signals
from rubrics.models import FailureMode
from scoring.heuristic.fixture_specs import failure_mode_specs
from scoring.heuristic.signals import signal_problems
from tests.bank_files import failure_mode, small_bank, write

BAD = {"cues": ["(unclosed"], "remedy": ["measurement"], "remedies": ["measurment"]}


def test_every_fixture_failure_mode_has_valid_signals():
    for key, spec in failure_mode_specs().items():
        assert signal_problems(spec.signals) == [], key


def test_the_problems_name_the_field():
    problems = signal_problems(
        {
            **BAD,
            "absence": [
                {"requires": [["nope"]], "min_words": "x", "kinds": ["gtm"], "asked": ["(x"]}
            ],
        }
    )
    assert problems == [
        "signals.remedy: unknown key 'remedy' (did you mean 'remedies'?)",
        "signals.cues[0]: bad regular expression '(unclosed': "
        "missing ), unterminated subpattern at position 0",
        "signals.remedies[0]: unknown feature 'measurment' (did you mean 'measurement'?)",
        "signals.absence[0].asked[0]: bad regular expression '(x': "
        "missing ), unterminated subpattern at position 0",
        "signals.absence[0].requires[0][0]: unknown feature 'nope'",
        "signals.absence[0].min_words: must be a whole number",
    ]


@pytest.fixture
def bank(db, tmp_path):
    import_bank(small_bank(tmp_path))


def test_the_admin_refuses_bad_signals(bank, client, admin_user):
    client.force_login(admin_user)
    mode = FailureMode.objects.get(key="vanity_metrics")
    url = f"/admin/rubrics/failuremode/{mode.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["costs"] = json.dumps(data["costs"])
    data["signals"] = json.dumps(BAD)
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["signals"]
    assert any("signals.cues[0]: bad regular expression" in e for e in errors), errors
    assert any("unknown key 'remedy'" in e for e in errors), errors
    mode.refresh_from_db()
    assert mode.signals == {"cues": ["views", "impressions"]}

    data["signals"] = json.dumps({"cues": ["views"], "remedies": ["measurement"]})
    assert client.post(url, data).status_code == 302
    mode.refresh_from_db()
    assert mode.signals == {"cues": ["views"], "remedies": ["measurement"]}


def test_import_bank_refuses_bad_signals(db, tmp_path):
    files = small_bank(tmp_path)
    write(
        files[0], [failure_mode("premature_scaling"), failure_mode("vanity_metrics", signals=BAD)]
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_bank", *map(str, files), stderr=err)
    assert "signals.cues[0]: bad regular expression" in err.getvalue()
    assert "signals.remedy: unknown key 'remedy'" in err.getvalue()
    assert not FailureMode.objects.exists()


def test_the_system_check_reports_a_stored_bad_failure_mode(bank):
    assert failure_mode_signals(databases=["default"]) == []
    FailureMode.objects.filter(key="vanity_metrics").update(signals=BAD)
    errors = failure_mode_signals(databases=["default"])
    assert {e.id for e in errors} == {"rubrics.E001"}
    assert any("'vanity_metrics': signals.cues[0]" in e.msg for e in errors)
    assert failure_mode_signals() == []  # only with databases, as database checks are


def test_costs_must_name_known_criterion_aspects_wherever_they_are_edited(bank, tmp_path):
    """A misspelt aspect in costs would silently cost nothing: import_bank and the system
    check refuse it, naming the field and the aspects that exist."""
    files = small_bank(tmp_path / "bad")
    write(files[0], [failure_mode("vanity_metrics", costs=["metrcs"])])
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_bank", *map(str, files), stderr=err)
    assert "costs: unknown aspect metrcs (known: " in err.getvalue()

    FailureMode.objects.filter(key="vanity_metrics").update(costs=["metrcs"])
    errors = failure_mode_signals(databases=["default"])
    assert any("'vanity_metrics': costs: unknown aspect metrcs" in e.msg for e in errors)
