"""Load checked bank files into the database, all or nothing."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import transaction

from questions.bank_io.records import LOAD_ORDER, Problem, Record, read_records
from questions.bank_io.validate import Snapshot, check_records


class InvalidBank(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the bank files")


@dataclass
class ImportCounts:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOAD_ORDER, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOAD_ORDER, 0))

    def summary(self, files: int) -> str:
        parts = []
        for label in LOAD_ORDER:
            count = self.created[label] + self.updated[label]
            meta = apps.get_model(label)._meta
            parts.append(f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}")
        new, updated = sum(self.created.values()), sum(self.updated.values())
        noun = "file" if files == 1 else "files"
        return f"Imported {', '.join(parts)} ({new} new, {updated} updated) from {files} {noun}."


def _load_position(record: Record) -> tuple[int, bool]:
    # Rubrics losing their default flag are saved before the one gaining it, so the
    # one-default-per-kind constraint holds after every row.
    is_default = record.model == "rubrics.rubric" and record.fields.get("is_default") is True
    return LOAD_ORDER.index(record.model), is_default


@transaction.atomic
def import_bank(paths: Sequence[Path | str]) -> ImportCounts:
    """Check the files as one import and load them; InvalidBank (nothing written) on any problem.

    Records are matched on their natural keys, so importing the same files again updates the rows
    in place. Rows the files do not mention are left alone.
    """
    records, problems = read_records(paths)
    problems += check_records(records, Snapshot.from_db())
    if problems:
        raise InvalidBank(problems)
    ordered = sorted(records, key=_load_position)
    counts = ImportCounts()
    data = ({"model": r.model, "fields": r.fields} for r in ordered)
    for deserialized in serializers.deserialize("python", data):
        label = deserialized.object._meta.label_lower
        if deserialized.object.pk is None:
            counts.created[label] += 1
        else:
            counts.updated[label] += 1
        deserialized.save()
    return counts
