import json
from pathlib import Path

import factory
from django.utils import timezone

from accounts.models import User

PASSWORD = "correct-horse-battery"
# A failure mode made under a real key gets that key's probe priority from the fixture.
_PROBE_PRIORITY = {
    o["fields"]["key"]: o["fields"]["probe_priority"]
    for o in json.loads(
        (Path(__file__).resolve().parent.parent / "fixtures" / "failure_modes.json").read_text()
    )
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class FailureModeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rubrics.FailureMode"
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"failure_mode_{n}")
    title = factory.LazyAttribute(lambda f: f.key.replace("_", " ").capitalize())
    description = "What the answer gets wrong."
    why_rejected = "Why interviewers mind."
    bad_example = "An answer that shows it."
    good_rewrite = "What a stronger answer says instead."
    follow_up = "What would you ask next?"
    probe_priority = factory.LazyAttribute(lambda f: _PROBE_PRIORITY.get(f.key, 100))
    signals = factory.LazyFunction(dict)
    source_document = "000_4e59fc754dd692e4.txt"
    source_section = "Key Responsibilities"


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rubrics.Rubric"
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"rubric-{n}")
    name = factory.LazyAttribute(lambda r: r.slug.replace("-", " ").capitalize())
    kind = "gtm"

    @factory.post_generation
    def failure_modes(self, create, extracted, **kwargs):
        if create and extracted:
            self.failure_modes.set(extracted)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rubrics.Criterion"

    rubric = factory.SubFactory(RubricFactory)
    key = factory.Sequence(lambda n: f"criterion_{n}")
    label = factory.LazyAttribute(lambda c: c.key.replace("_", " ").capitalize())
    weight = "0.500"
    order = factory.Sequence(lambda n: n)
    level_1 = "Poor."
    level_2 = "Weak."
    level_3 = "Adequate."
    level_4 = "Strong."
    level_5 = "Exceptional."


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.Tag"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.LazyAttribute(lambda t: t.slug.replace("-", " ").capitalize())


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.Question"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"question-{n}")
    kind = factory.LazyAttribute(lambda q: q.rubric.kind)
    title = factory.LazyAttribute(lambda q: q.slug.replace("-", " ").capitalize())
    prompt = "How would you launch this feature in a new market?"
    intent = "A staged launch with a measurement plan."
    rubric = factory.SubFactory(RubricFactory)
    source_document = "000_4e59fc754dd692e4.txt"
    source_section = "Key Responsibilities"


class AnswerFactory(factory.django.DjangoModelFactory):
    """A submitted answer; pass submitted_at=None for a draft."""

    class Meta:
        model = "rounds.Answer"

    candidate = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    kind = factory.LazyAttribute(lambda a: a.question.kind)
    prompt = factory.LazyAttribute(lambda a: a.question.prompt)
    text = "We launch in one market first and track day-7 retention against a holdout."
    time_limit_seconds = factory.LazyAttribute(lambda a: a.question.time_limit_seconds)
    time_used_seconds = 300
    submitted_at = factory.LazyFunction(timezone.now)


class CoachLinkFactory(factory.django.DjangoModelFactory):
    """An accepted link between a candidate and a coach; pass coach=None for an open invite."""

    class Meta:
        model = "coaching.CoachLink"

    candidate = factory.SubFactory(UserFactory, role="candidate")
    coach = factory.SubFactory(UserFactory, role="coach")
    created_by = factory.LazyAttribute(lambda link: link.candidate)
    accepted_at = factory.LazyAttribute(lambda link: timezone.now() if link.coach else None)
