import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prep.lib.kinds import Kind
from questions.models import Question
from questions.specs import specs_for_question
from rounds.models import MAX_ANSWER_CHARS
from rubrics.models import Rubric
from rubrics.specs import default_rubric_spec
from scoring.registry import SCORERS, get_scorer
from scoring.types import QuestionSpec, RubricSpec, ScoreResult


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Score one answer, for admins and calibration. The question is a bank slug "
        "(--question) or ad hoc (--kind and --prompt); the answer comes from --file or stdin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--question", metavar="SLUG", help="A question in the bank.")
        which.add_argument("--kind", choices=Kind.values, help="Ad hoc: the question's kind.")
        parser.add_argument("--prompt", help="Ad hoc: the question's text (with --kind).")
        parser.add_argument("--file", metavar="PATH", help="Read the answer here, not stdin.")
        parser.add_argument(
            "--scorer", choices=sorted(SCORERS), help="Default: the configured scorer."
        )
        parser.add_argument(
            "--time-used", type=int, metavar="SECONDS", help="How long the candidate took."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options) -> None:
        rubric, question = self._specs(options)
        answer = self._answer(options["file"], options.get("stdin") or sys.stdin)
        try:
            scorer = get_scorer(options["scorer"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = scorer.score(rubric, question, answer, time_used_seconds=options["time_used"])
        if result.error:
            self.stderr.write(f"scorer warning: {result.error}")
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(question), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_report(rubric, question, result))

    def _specs(self, options) -> tuple[RubricSpec, QuestionSpec]:
        if options["question"]:
            if options["prompt"]:
                raise CommandError("--prompt is only for ad-hoc questions (with --kind)")
            question = Question.objects.select_related("rubric").filter(slug=options["question"])
            if not question:
                raise CommandError(f"unknown question {options['question']!r}")
            return specs_for_question(question[0])
        prompt = (options["prompt"] or "").strip()
        if not prompt:
            raise CommandError("an ad-hoc question needs --prompt TEXT")
        try:
            rubric = default_rubric_spec(options["kind"])
        except Rubric.DoesNotExist as exc:
            raise CommandError(
                f"no default rubric for kind {options['kind']!r}; load fixtures/rubrics.json"
            ) from exc
        return rubric, QuestionSpec(kind=options["kind"], prompt=prompt)

    def _answer(self, path: str | None, stdin) -> str:
        if path:
            try:
                answer = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {path}: {exc}") from exc
        else:
            answer = stdin.read()
        if not answer.strip():
            raise CommandError("the answer is empty")
        if len(answer) > MAX_ANSWER_CHARS:
            raise CommandError(
                f"the answer is {len(answer)} characters; the limit is {MAX_ANSWER_CHARS}"
            )
        return answer


def _report(rubric: RubricSpec, question: QuestionSpec, result: ScoreResult) -> str:
    lines = [
        f"{question.slug or 'ad-hoc ' + question.kind} · rubric {rubric.slug} · {result.scorer_id}",
        f"overall {result.overall:.2f} / 5",
    ]
    if result.fit:
        used = ", ".join(result.fit.get("used", [])) or "-"
        ignored = ", ".join(result.fit.get("ignored", [])) or "-"
        lines.append(
            f"question fit {result.fit.get('coverage', 0):.2f} ({result.fit.get('verdict')}): "
            f"used {used}; ignored {ignored}"
        )
        if result.fit.get("message"):
            lines.append(f"! {result.fit['message']}")
    if result.summary:
        lines.append(result.summary)
    if result.pacing:
        lines.append(result.pacing)
    lines.append("")
    for c in result.criteria:
        lines.append(f"  {c.score}/{c.max}  {c.label}: {c.rationale}")
    lines.append("")
    if not result.failure_modes and not result.fit.get("message"):
        lines.append("No failure modes found.")
    for f in result.failure_modes:
        lines.append(f"! {f.title} ({f.key})")
        for e in f.evidence:
            lines.append(f"    [{e.start}:{e.end}] “{e.quote}”")
        lines.append(f"    advice: {f.advice}")
    return "\n".join(lines)
