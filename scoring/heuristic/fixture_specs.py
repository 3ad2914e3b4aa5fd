"""Scorer inputs read straight from the fixture files, for benchmarks and database-free tests."""

import json
from pathlib import Path

from scoring.types import CriterionSpec, FailureModeSpec, QuestionSpec, RubricSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def failure_mode_specs(fixtures: Path = FIXTURES) -> dict[str, FailureModeSpec]:
    modes = json.loads((fixtures / "failure_modes.json").read_text(encoding="utf-8"))
    return {
        f["key"]: FailureModeSpec(
            key=f["key"],
            title=f["title"],
            description=f["description"],
            good_rewrite=f["good_rewrite"],
            follow_up=f["follow_up"],
            signals=f["signals"],
            not_when=f.get("not_when", ""),
            why_it_matters=f.get("why_it_matters", ""),
            costs=tuple(f.get("costs", ())),
        )
        for f in (o["fields"] for o in modes)
    }


def rubric_specs(fixtures: Path = FIXTURES) -> dict[str, RubricSpec]:
    """Every rubric in fixtures/rubrics.json by slug; "default:KIND" also names the defaults."""
    modes = failure_mode_specs(fixtures)
    objects = json.loads((fixtures / "rubrics.json").read_text(encoding="utf-8"))
    criteria: dict[str, list[dict]] = {}
    for o in objects:
        if o["model"] == "rubrics.criterion":
            criteria.setdefault(o["fields"]["rubric"][0], []).append(o["fields"])
    specs: dict[str, RubricSpec] = {}
    for o in objects:
        if o["model"] != "rubrics.rubric":
            continue
        f = o["fields"]
        ordered = sorted(criteria.get(f["slug"], []), key=lambda c: (c.get("order", 1), c["key"]))
        spec = RubricSpec(
            slug=f["slug"],
            kind=f["kind"],
            criteria=tuple(
                CriterionSpec(
                    key=c["key"],
                    label=c["label"],
                    weight=float(c["weight"]),
                    levels=tuple(c[f"level_{i}"] for i in range(1, 6)),
                    description=c.get("description", ""),
                    aspect=c.get("aspect", ""),
                )
                for c in ordered
            ),
            failure_modes=tuple(modes[k] for (k,) in sorted(f["failure_modes"])),
        )
        specs[f["slug"]] = spec
        if f.get("is_default"):
            specs[f"default:{f['kind']}"] = spec
    return specs


def bank_questions(fixtures: Path = FIXTURES) -> list[dict]:
    """Every question record's fields in fixtures/questions/, file by file (kinds in name order)."""
    return [
        item["fields"]
        for path in sorted((fixtures / "questions").glob("*.json"))
        for item in json.loads(path.read_text(encoding="utf-8"))
        if item["model"] == "questions.question"
    ]


def question_spec(fields: dict) -> QuestionSpec:
    """What the scorer reads of a question record."""
    return QuestionSpec(
        kind=fields["kind"],
        prompt=fields["prompt"],
        slug=fields["slug"],
        context=fields.get("context", ""),
        time_limit_seconds=fields.get("time_limit_seconds"),
    )
