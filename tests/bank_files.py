"""Small bank fixture files for the import, export and admin tests, in canonical form.

Each builder returns one record with every field, in the model's field order, so that a file
written by `write` is exactly what `export_bank` would write for the same rows.
"""

import json
from pathlib import Path
from typing import Any

from prep.lib.kinds import Kind

DOC = "003_625c3301e25c3911.txt"
SECTION = "Mistake 1: Focusing on Vanity Metrics"


def failure_mode(key: str = "vanity_metrics", **fields: Any) -> dict:
    return {
        "model": "rubrics.failuremode",
        "fields": {
            "key": key,
            "title": f"Title of {key}",
            "description": "Reach counts stand in for an outcome.",
            "why_rejected": "Nobody can tell whether the launch changed behaviour.",
            "bad_example": "We got a million views.",
            "good_rewrite": "Day-7 retention of the exposed cohort rose from 20% to 24%.",
            "follow_up": "Which behaviour would the views have to change?",
            "probe_priority": 100,
            "not_when": "Views are only a diagnostic beside an outcome.",
            "why_it_matters": "what counts is what people do after they see it",
            "costs": ["metrics"],
            "signals": {"cues": ["views", "impressions"]},
            "source_document": DOC,
            "source_section": SECTION,
            **fields,
        },
    }


def rubric(
    slug: str = "gtm-strategy",
    kind: str = "gtm",
    failure_modes: tuple[str, ...] = ("vanity_metrics",),
    **fields: Any,
) -> dict:
    return {
        "model": "rubrics.rubric",
        "fields": {
            "slug": slug,
            "name": f"Rubric {slug}",
            "kind": kind,
            "is_default": True,
            "description": "Launch plans: staged, measured, tied to an outcome — café test.",
            **fields,
            "failure_modes": [[key] for key in failure_modes],
        },
    }


def criterion(
    key: str = "measurement",
    weight: str = "0.500",
    order: int = 1,
    rubric: str = "gtm-strategy",
    **fields: Any,
) -> dict:
    return {
        "model": "rubrics.criterion",
        "fields": {
            "rubric": [rubric],
            "key": key,
            "label": key.title(),
            "aspect": "general",
            "description": "",
            "weight": weight,
            "order": order,
            "level_1": "Absent.",
            "level_2": "Named only.",
            "level_3": "Present but loose.",
            "level_4": "Clear and specific.",
            "level_5": "Clear, specific and tied to the decision.",
            **fields,
        },
    }


def tag(slug: str = "launch", name: str = "Launch") -> dict:
    return {"model": "questions.tag", "fields": {"slug": slug, "name": name}}


def question(
    slug: str = "launch-in-one-market",
    kind: str = "gtm",
    rubric: str = "gtm-strategy",
    tags: tuple[str, ...] = ("launch",),
    **fields: Any,
) -> dict:
    return {
        "model": "questions.question",
        "fields": {
            "slug": slug,
            "kind": kind,
            "title": f"Question {slug}",
            "prompt": "How would you launch a new creator tool?",
            "context": "The tool lets creators schedule posts.",
            "company": "TikTok",
            "difficulty": 2,
            "time_limit_seconds": 900,
            "intent": "A staged launch with an outcome metric.",
            "exemplary_answer": "",
            "rubric": [rubric],
            "source_document": DOC,
            "source_section": SECTION,
            "is_published": True,
            **fields,
            "tags": [[slug] for slug in tags],
        },
    }


def probe(
    question: str = "launch-in-one-market",
    order: int = 1,
    failure_mode: str | None = "vanity_metrics",
    **fields: Any,
) -> dict:
    return {
        "model": "questions.probe",
        "fields": {
            "question": [question],
            "order": order,
            "text": "How would you know it worked?",
            "failure_mode": [failure_mode] if failure_mode else None,
            **fields,
        },
    }


def write(path: Path, records: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def small_bank(directory: Path) -> list[Path]:
    """A complete bank in the export layout: every file export_bank writes, in load order."""
    files = [
        write(
            directory / "failure_modes.json",
            [failure_mode("premature_scaling"), failure_mode("vanity_metrics")],
        ),
        write(
            directory / "rubrics.json",
            [
                rubric(failure_modes=("premature_scaling", "vanity_metrics")),
                criterion("staging", "0.500", order=1),
                criterion("measurement", "0.250", order=2),
                criterion("outcome", "0.250", order=2),
            ],
        ),
        write(directory / "tags.json", [tag("growth", "Growth"), tag("launch", "Launch")]),
    ]
    for kind in Kind.values:
        records = []
        if kind == "gtm":
            records = [
                question("a-launch", tags=("growth", "launch")),
                probe("a-launch", 1),
                probe("a-launch", 2, failure_mode=None),
                question("b-launch", tags=()),
            ]
        files.append(write(directory / "questions" / f"{kind}.json", records))
    return files
