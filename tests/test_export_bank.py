import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.bank_io import import_bank
from questions.models import Probe, Question, Tag
from rubrics.models import Criterion, FailureMode, Rubric
from tests.bank_files import criterion, failure_mode, probe, question, rubric, small_bank, write

pytestmark = pytest.mark.django_db


def export(directory: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("export_bank", "--dir", str(directory), *options, stdout=out)
    return out.getvalue()


def check_fails(directory: Path) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="differ from the database"):
        call_command("export_bank", "--dir", str(directory), "--check", stderr=err)
    return err.getvalue()


def test_import_then_export_reproduces_canonical_files_byte_for_byte(tmp_path):
    files = small_bank(tmp_path / "in")
    import_bank(files)

    export(tmp_path / "out")

    for original in files:
        exported = tmp_path / "out" / original.relative_to(tmp_path / "in")
        assert exported.read_bytes() == original.read_bytes(), exported
    assert "already match" in export(tmp_path / "in")
    assert export(tmp_path / "in", "--check").strip() == "The bank files match the database."


def test_the_canonical_form(tmp_path):
    import_bank(small_bank(tmp_path / "in"))

    export(tmp_path / "out")

    text = (tmp_path / "out" / "rubrics.json").read_text(encoding="utf-8")
    assert text.endswith("}\n]\n")
    assert "café" in text  # ensure_ascii off
    assert '\n  {\n    "model": "rubrics.rubric",\n    "fields": {\n      "slug"' in text
    records = json.loads(text)
    assert all("pk" not in record for record in records)
    assert records[1]["fields"]["rubric"] == ["gtm-strategy"]
    assert records[1]["fields"]["weight"] == "0.500"
    assert (tmp_path / "out" / "questions" / "execution.json").read_text() == "[]\n"


def test_it_orders_rows_whatever_order_they_were_created_in(tmp_path):
    # Created deliberately out of order; the export sorts by key, criteria by (order, key).
    for key in ("vanity_metrics", "premature_scaling"):
        FailureMode.objects.create(
            key=key,
            title=key,
            description="d",
            why_rejected="w",
            bad_example="b",
            good_rewrite="g",
            source_document="003_625c3301e25c3911.txt",
            source_section="FAQ",
        )
    gtm = Rubric.objects.create(slug="gtm-strategy", name="G", kind="gtm", is_default=True)
    gtm.failure_modes.set(FailureMode.objects.all())
    for key, order in (("zeta", 1), ("beta", 2), ("alpha", 2)):
        Criterion.objects.create(
            rubric=gtm,
            key=key,
            label=key,
            weight="0.333",
            order=order,
            level_1="1",
            level_2="2",
            level_3="3",
            level_4="4",
            level_5="5",
        )
    for slug in ("z-tag", "a-tag"):
        Tag.objects.create(slug=slug, name=slug)
    for slug in ("zz", "aa"):
        q = Question.objects.create(
            slug=slug,
            kind="gtm",
            title=slug,
            prompt="p",
            intent="i",
            rubric=gtm,
            source_document="003_625c3301e25c3911.txt",
            source_section="FAQ",
        )
        q.tags.set(Tag.objects.all())
        for order in (3, 1, 2):
            Probe.objects.create(question=q, order=order, text=f"{slug} {order}")

    export(tmp_path)

    modes = json.loads((tmp_path / "failure_modes.json").read_text())
    assert [m["fields"]["key"] for m in modes] == ["premature_scaling", "vanity_metrics"]
    rubrics = json.loads((tmp_path / "rubrics.json").read_text())
    assert rubrics[0]["fields"]["failure_modes"] == [["premature_scaling"], ["vanity_metrics"]]
    assert [r["fields"].get("key") for r in rubrics] == [None, "zeta", "alpha", "beta"]
    gtm_file = json.loads((tmp_path / "questions" / "gtm.json").read_text())
    assert [(r["model"], r["fields"].get("slug") or r["fields"]["text"]) for r in gtm_file] == [
        ("questions.question", "aa"),
        ("questions.probe", "aa 1"),
        ("questions.probe", "aa 2"),
        ("questions.probe", "aa 3"),
        ("questions.question", "zz"),
        ("questions.probe", "zz 1"),
        ("questions.probe", "zz 2"),
        ("questions.probe", "zz 3"),
    ]
    assert gtm_file[0]["fields"]["tags"] == [["a-tag"], ["z-tag"]]


def test_questions_go_to_the_file_of_their_kind_with_their_probes(tmp_path):
    import_bank(small_bank(tmp_path / "in"))
    extra = write(
        tmp_path / "in" / "extra.json",
        [
            rubric("execution-metrics", kind="execution", failure_modes=()),
            criterion("only", "1", rubric="execution-metrics"),
            question("metric-drop", kind="execution", rubric="execution-metrics", tags=()),
            probe("metric-drop", 1),
        ],
    )
    import_bank([extra])

    export(tmp_path / "out")

    execution = json.loads((tmp_path / "out" / "questions" / "execution.json").read_text())
    assert [r["model"] for r in execution] == ["questions.question", "questions.probe"]
    gtm = json.loads((tmp_path / "out" / "questions" / "gtm.json").read_text())
    assert {r["fields"].get("kind") for r in gtm if r["model"] == "questions.question"} == {"gtm"}


def test_check_reports_files_that_differ_from_the_database(tmp_path):
    files = small_bank(tmp_path)
    import_bank(files)
    Question.objects.filter(slug="b-launch").update(title="Edited in the admin")
    (tmp_path / "questions" / "behavioral.json").unlink()
    before = {path: path.read_bytes() for path in files if path.exists()}

    err = check_fails(tmp_path)

    assert "questions/gtm.json differs from the database:" in err
    assert '-      "title": "Question b-launch",' in err
    assert '+      "title": "Edited in the admin",' in err
    assert "questions/behavioral.json is missing" in err
    assert "rubrics.json" not in err
    assert {path: path.read_bytes() for path in files if path.exists()} == before


def test_export_rewrites_only_what_changed_and_check_then_passes(tmp_path):
    files = small_bank(tmp_path)
    import_bank(files)
    Tag.objects.filter(slug="growth").update(name="Growth loops")

    out = export(tmp_path)

    assert out.strip() == f"Wrote 1 file(s): {tmp_path / 'tags.json'}."
    assert json.loads((tmp_path / "tags.json").read_text())[0]["fields"]["name"] == "Growth loops"
    assert "match the database" in export(tmp_path, "--check")
    import_bank(files)  # and the rewritten files import cleanly


def test_a_non_canonical_file_is_flagged_then_rewritten(tmp_path):
    files = small_bank(tmp_path)
    write(files[0], [failure_mode("vanity_metrics"), failure_mode("premature_scaling")])
    import_bank(files)

    assert "failure_modes.json differs" in check_fails(tmp_path)

    export(tmp_path)
    keys = [m["fields"]["key"] for m in json.loads(files[0].read_text())]
    assert keys == ["premature_scaling", "vanity_metrics"]
    export(tmp_path, "--check")


def test_signals_are_written_with_sorted_keys_whatever_order_the_database_keeps(tmp_path):
    # PostgreSQL's jsonb reorders object keys, so the files must not depend on the order stored.
    import_bank(small_bank(tmp_path / "in"))
    FailureMode.objects.filter(key="vanity_metrics").update(
        signals={"remedies": ["outcome"], "cues": {"z": 1, "a": [{"y": 2, "b": 3}]}}
    )

    export(tmp_path / "out")

    records = json.loads((tmp_path / "out" / "failure_modes.json").read_text())
    signals = next(
        r["fields"]["signals"] for r in records if r["fields"]["key"] == "vanity_metrics"
    )
    assert list(signals) == ["cues", "remedies"]
    assert list(signals["cues"]) == ["a", "z"]
    assert list(signals["cues"]["a"][0]) == ["b", "y"]
