"""Write the bank from the database back to its fixture files, in one canonical form.

Canonical means: natural keys and no pk; rows sorted by slug or key, each rubric followed by its
criteria (by order, then key) and each question by its probes (by order); 2-space indent,
non-ASCII text as is, a trailing newline. Files already in that form survive an import and an
export byte for byte, so `export_bank --check` can tell whether the files and the database agree.
"""

import difflib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch

from prep.lib.kinds import Kind
from questions.bank_io.files import (
    FAILURE_MODES_FILE,
    RUBRICS_FILE,
    TAGS_FILE,
    display_path,
    question_file,
)
from questions.models import Probe, Question, Tag
from rubrics.models import Criterion, FailureMode, Rubric


def _sorted_keys(value):
    """JSON values with their object keys sorted: PostgreSQL's jsonb does not keep key order."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def render(objects: Iterable[models.Model]) -> str:
    records = serializers.serialize(
        "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    for record in records:
        for name, value in record["fields"].items():
            if isinstance(value, dict):
                record["fields"][name] = _sorted_keys(value)
    return json.dumps(records, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


def _rubrics_with_criteria() -> list[models.Model]:
    criteria = Criterion.objects.select_related("rubric").order_by("order", "key")
    rubrics = Rubric.objects.order_by("slug").prefetch_related(
        Prefetch("criteria", queryset=criteria, to_attr="ordered_criteria"), "failure_modes"
    )
    return [row for rubric in rubrics for row in (rubric, *rubric.ordered_criteria)]


def _questions_with_probes(kind: str) -> list[models.Model]:
    probes = Probe.objects.select_related("question", "failure_mode").order_by("order")
    questions = (
        Question.objects.filter(kind=kind)
        .order_by("slug")
        .select_related("rubric")
        .prefetch_related(Prefetch("probes", queryset=probes, to_attr="ordered_probes"), "tags")
    )
    return [row for question in questions for row in (question, *question.ordered_probes)]


def bank_files(directory: Path) -> dict[Path, str]:
    """Each bank file's path and the text the database would write there."""
    files = {
        directory / FAILURE_MODES_FILE: render(FailureMode.objects.order_by("key")),
        directory / RUBRICS_FILE: render(_rubrics_with_criteria()),
        directory / TAGS_FILE: render(Tag.objects.order_by("slug")),
    }
    for kind in Kind.values:
        files[question_file(directory, kind)] = render(_questions_with_probes(kind))
    return files


def export_bank(*, directory: Path) -> list[Path]:
    """Write every bank file under directory; return the paths whose content changed."""
    changed = []
    for path, text in bank_files(directory).items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target, then rename, so a reader never sees half a file.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        changed.append(path)
    return changed


def stale_files(directory: Path, diff_lines: int = 20) -> list[str]:
    """How each bank file on disk differs from the database: an empty list when none does."""
    reports = []
    for path, text in bank_files(directory).items():
        name = display_path(path)
        if not path.exists():
            reports.append(f"{name} is missing")
            continue
        on_disk = path.read_text(encoding="utf-8")
        if on_disk == text:
            continue
        diff = list(
            difflib.unified_diff(
                on_disk.splitlines(),
                text.splitlines(),
                f"{name} (on disk)",
                f"{name} (database)",
                lineterm="",
            )
        )
        shown = "\n".join(diff[:diff_lines])
        more = f"\n... {len(diff) - diff_lines} more diff lines" if len(diff) > diff_lines else ""
        reports.append(f"{name} differs from the database:\n{shown}{more}")
    return reports
