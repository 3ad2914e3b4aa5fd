"""Where the bank's fixture files live."""

from pathlib import Path

from django.conf import settings

FAILURE_MODES_FILE = "failure_modes.json"
RUBRICS_FILE = "rubrics.json"
TAGS_FILE = "tags.json"
QUESTIONS_DIR = "questions"


def default_directory() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def question_file(directory: Path, kind: str) -> Path:
    return directory / QUESTIONS_DIR / f"{kind}.json"


def default_files(directory: Path | None = None) -> list[Path]:
    """The files `import_bank` reads when given none: every fixture, in load order."""
    directory = directory or default_directory()
    fixed = [directory / name for name in (FAILURE_MODES_FILE, RUBRICS_FILE, TAGS_FILE)]
    return fixed + sorted((directory / QUESTIONS_DIR).glob("*.json"))


def display_path(path: Path | str) -> str:
    """The path as people type it: relative to the project when it lies inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)
