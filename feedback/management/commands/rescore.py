from datetime import UTC, date, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from feedback import selectors, services, tasks
from prep.lib.kinds import Kind
from questions.models import Question
from rubrics.models import Rubric
from scoring.registry import SCORERS, get_scorer


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since must be a date like 2026-01-31, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Score submitted answers again with the current scorer version, replacing the feedback "
        "that version stored (for instance after a rubric changed). Filters combine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rubric", help="only answers to questions scored by this rubric")
        parser.add_argument("--kind", choices=Kind.values, help="only answers of this kind")
        parser.add_argument("--question", help="only answers to this question (its slug)")
        parser.add_argument("--since", help="only answers submitted on or after this date")
        parser.add_argument("--scorer", choices=sorted(SCORERS), help="default: SCORER setting")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the work for the workers instead"
        )

    def handle(self, *args, **options) -> None:
        try:
            scorer = get_scorer(options["scorer"])
        except (ValueError, ImportError) as exc:
            raise CommandError(f"cannot load the scorer: {exc}") from None
        since = None
        if options["since"]:
            since = datetime.combine(_day(options["since"]), datetime.min.time(), tzinfo=UTC)
        if options["rubric"] and not Rubric.objects.filter(slug=options["rubric"]).exists():
            raise CommandError(f"no rubric with the slug {options['rubric']!r}")
        if options["question"] and not Question.objects.filter(slug=options["question"]).exists():
            raise CommandError(f"no question with the slug {options['question']!r}")

        answers = selectors.submitted_answers(
            rubric=options["rubric"],
            kind=options["kind"],
            question=options["question"],
            since=since,
        )
        ids = list(answers.values_list("pk", flat=True))
        if not ids:
            self.stdout.write("No submitted answers match.")
            return
        # Django wraps stderr so that each write is a line; tqdm redraws one line in place.
        bar = tqdm(ids, unit="answer", file=getattr(self.stderr, "_out", self.stderr))
        if options["enqueue"]:
            for queued, answer_id in enumerate(bar):
                if not tasks.enqueue(answer_id, scorer.name, replace=True):
                    bar.close()
                    raise CommandError(
                        f"the broker is unreachable; queued {queued} of {len(ids)} answers"
                    )
            self.stdout.write(f"Queued {len(ids)} answers for {scorer.name}-{scorer.version}.")
            return
        failed = 0
        for answer_id in bar:
            feedback = services.score_answer(answer_id, scorer.name, replace=True)
            failed += bool(feedback and feedback.error)
        self.stdout.write(
            f"Rescored {len(ids)} answers with {scorer.name}-{scorer.version}"
            f" ({failed} with errors)."
        )
