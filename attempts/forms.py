from django import forms

from attempts.drills import MAX_REWRITE_CHARS


class DrillForm(forms.Form):
    rewrite = forms.CharField(
        label="Your rewrite of the flagged passage",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_REWRITE_CHARS,
        strip=True,
        error_messages={"required": "Write your version of the passage first."},
    )
