from django import forms

from prep.lib.sources import source_problem


class SourceCheckedForm(forms.ModelForm):
    """Refuses a citation whose section the chosen document does not have.

    The admin gives it a model and fields (from the ModelAdmin), so it declares no Meta.
    """

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        document = cleaned.get("source_document")
        if document and (problem := source_problem(document, cleaned.get("source_section", ""))):
            self.add_error("source_section", problem)
        return cleaned
