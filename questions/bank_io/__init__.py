"""Reading, checking, loading and writing the question bank's fixture files.

The bank lives in Django fixture JSON with natural keys: fixtures/failure_modes.json,
fixtures/rubrics.json, fixtures/tags.json and fixtures/questions/<kind>.json.
"""

from questions.bank_io.export import bank_files, export_bank, stale_files
from questions.bank_io.load import InvalidBank, import_bank
from questions.bank_io.records import Problem
from questions.bank_io.validate import Snapshot, validate_bank

__all__ = [
    "InvalidBank",
    "Problem",
    "Snapshot",
    "bank_files",
    "export_bank",
    "import_bank",
    "stale_files",
    "validate_bank",
]
