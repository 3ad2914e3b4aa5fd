"""Questions as the scoring engine's plain inputs."""

from questions.models import Question
from rubrics.specs import rubric_spec_for_slug
from scoring.types import QuestionSpec, RubricSpec


def question_spec(question: Question, *, prompt: str = "") -> QuestionSpec:
    """The question as the scorer sees it; `prompt` replaces the bank's (a follow-up's probe)."""
    return QuestionSpec(
        kind=question.kind,
        prompt=prompt or question.prompt,
        slug=question.slug,
        context=question.context,
        time_limit_seconds=question.time_limit_seconds,
    )


def specs_for_question(question: Question, *, prompt: str = "") -> tuple[RubricSpec, QuestionSpec]:
    return rubric_spec_for_slug(question.rubric.slug), question_spec(question, prompt=prompt)
