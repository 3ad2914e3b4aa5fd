from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.bank_io import InvalidBank, import_bank
from questions.bank_io.files import default_files
from questions.models import Question
from rubrics.models import FailureMode, Rubric


class Command(BaseCommand):
    help = (
        "Check bank fixture files and load them in one transaction; nothing is written when any "
        "file has a problem. With no files, loads fixtures/failure_modes.json, rubrics.json, "
        "tags.json and questions/*.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="fixture files (JSON)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into an empty bank (no failure mode, rubric or question yet), so a "
            "deployment's start-up never overwrites what admins have curated",
        )

    def handle(self, *args, files: list[Path], if_empty: bool = False, **options) -> None:
        if if_empty and any(m.objects.exists() for m in (FailureMode, Rubric, Question)):
            self.stdout.write("The bank is not empty: nothing imported.")
            return
        files = files or default_files()
        try:
            counts = import_bank(files)
        except InvalidBank as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{exc}; nothing was imported.") from None
        self.stdout.write(counts.summary(len(files)))
