from django import forms

from progress.report import DEFAULT_N, N_CHOICES
from questions.models import Question
from rounds.services import MAX_QUESTIONS


class RecentForm(forms.Form):
    """How many of the newest answers the failure-mode chart counts."""

    n = forms.TypedChoiceField(
        label="Count the last",
        choices=[(n, f"{n} answers") for n in N_CHOICES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_N,
        error_messages={"invalid_choice": "Choose the last 10, 20 or 50 answers."},
    )


class PlanRoundForm(forms.Form):
    """The questions of the plan the page showed, to start a round with exactly those."""

    question = forms.ModelMultipleChoiceField(
        queryset=Question.objects.filter(is_published=True),
        error_messages={
            "required": "The plan has no questions to start a round with.",
            "invalid_choice": "A question of this plan is no longer in the bank: "
            "here is your plan as it is now.",
            "invalid_pk_value": "This plan's questions were not recognised: "
            "here is your plan as it is now.",
        },
    )

    def clean_question(self) -> list[Question]:
        """The questions in the order the plan gave them."""
        chosen = {q.pk: q for q in self.cleaned_data["question"]}
        ids = [int(pk) for pk in self.data.getlist("question")]
        if len(ids) > MAX_QUESTIONS or len(set(ids)) != len(ids):
            raise forms.ValidationError("A plan has up to 8 different questions.")
        return [chosen[pk] for pk in ids]
