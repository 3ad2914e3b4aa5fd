from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.bank_io import export_bank, stale_files
from questions.bank_io.files import default_directory, display_path


class Command(BaseCommand):
    help = (
        "Write the bank to its fixture files (failure_modes.json, rubrics.json, tags.json, "
        "questions/<kind>.json) in canonical form. With --check, write nothing and fail when the "
        "files differ from the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", dest="directory", type=Path, help="default: fixtures/")
        parser.add_argument(
            "--check", action="store_true", help="fail when the files differ from the database"
        )

    def handle(self, *args, directory: Path | None, check: bool, **options) -> None:
        directory = directory or default_directory()
        if check:
            reports = stale_files(directory)
            if reports:
                for report in reports:
                    self.stderr.write(report)
                raise CommandError(
                    f"{len(reports)} bank file(s) differ from the database; "
                    "run manage.py export_bank to rewrite them."
                )
            self.stdout.write("The bank files match the database.")
            return
        changed = export_bank(directory=directory)
        where = display_path(directory)
        if not changed:
            self.stdout.write(f"The bank files in {where} already match the database.")
            return
        names = ", ".join(display_path(path) for path in changed)
        self.stdout.write(f"Wrote {len(changed)} file(s): {names}.")
