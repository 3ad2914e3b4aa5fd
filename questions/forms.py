from django import forms

from prep.lib.kinds import Difficulty, Kind
from questions.models import Tag


class BankFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Kind.choices]
    )
    difficulty = forms.TypedChoiceField(
        label="Difficulty",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any difficulty"), *Difficulty.choices],
    )
    tag = forms.ChoiceField(label="Tag", required=False)

    def __init__(self, *args, tags: list[Tag], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Any tag")] + [(t.slug, t.name) for t in tags]
        self.fields["tag"].choices = choices  # type: ignore[attr-defined]

    def filters(self) -> dict:
        """The valid filters; a field with a bad value is left out (and reported by the form)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            name: data[name]
            for name in ("q", "kind", "difficulty", "tag")
            if name in data and data[name] not in ("", None)
        }
