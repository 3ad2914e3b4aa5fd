from django import forms

from prep.lib.kinds import Kind
from rounds.services import MAX_QUESTIONS


class StartRoundForm(forms.Form):
    full_loop = forms.BooleanField(
        label="Full loop",
        required=False,
        help_text="One question of each kind, in the order of a real interview.",
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds of question",
        required=False,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    count = forms.IntegerField(
        label="Number of questions", min_value=1, max_value=MAX_QUESTIONS, initial=2
    )
    minutes = forms.IntegerField(
        label="Minutes per question",
        required=False,
        min_value=1,
        max_value=60,
        help_text="Leave empty to use each question's own time limit.",
    )
    tag = forms.ChoiceField(label="Tag", required=False)
    company = forms.ChoiceField(label="Company", required=False)

    def __init__(self, *args, tags: list[tuple[str, str]], companies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "Any tag"), *tags]  # type: ignore[attr-defined]
        company = [("", "Any company")] + [(c, c) for c in companies]
        self.fields["company"].choices = company  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if not data.get("full_loop") and not data.get("kinds"):
            raise forms.ValidationError("Choose at least one kind of question, or a full loop.")
        if data.get("full_loop"):
            # The count field is ignored for a full loop, so a bad value must not block it.
            self.errors.pop("count", None)
        return data

    def round_options(self) -> dict:
        data = self.cleaned_data
        minutes = data.get("minutes")
        return {
            "full_loop": data["full_loop"],
            "kinds": data.get("kinds") or [],
            "count": data.get("count") or 1,
            "time_per_question_seconds": minutes * 60 if minutes else None,
            "tag": data.get("tag") or "",
            "company": data.get("company") or "",
        }
