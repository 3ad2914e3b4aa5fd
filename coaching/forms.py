from datetime import date, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role, User
from coaching.models import MAX_FLAG_TITLE, MAX_SCORE, ReviewFlag
from prep.lib.kinds import Kind
from rubrics.models import FailureMode

STATUS_CHOICES = [("unreviewed", "Waiting for review"), ("reviewed", "Reviewed"), ("all", "All")]
SCORE_CHOICES = [(n, str(n)) for n in range(1, MAX_SCORE + 1)]
DATE = forms.DateInput(attrs={"type": "date"})


# Dates outside these years are typing slips, and near date.max the day after overflows.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def _check_period(cleaned: dict, since: str, until: str) -> None:
    for name in (since, until):
        day = cleaned.get(name)
        if day and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                f"Choose dates between {FIRST_DAY:%-d %b %Y} and {LAST_DAY:%-d %b %Y}."
            )
    if cleaned.get(since) and cleaned.get(until) and cleaned[since] > cleaned[until]:
        raise forms.ValidationError("The start date must be on or before the end date.")


class QueueFilterForm(forms.Form):
    candidate = forms.ModelChoiceField(
        label="Candidate",
        required=False,
        queryset=User.objects.none(),
        empty_label="All candidates",
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Kind.choices]
    )
    failure_mode = forms.ModelChoiceField(
        label="Failure mode",
        required=False,
        queryset=FailureMode.objects.order_by("title"),
        to_field_name="key",
        empty_label="Any failure mode",
    )
    since = forms.DateField(label="Answered from", required=False, widget=DATE)
    until = forms.DateField(label="Answered until", required=False, widget=DATE)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, candidates: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates.order_by("username")  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean()
        _check_period(cleaned, "since", "until")
        return cleaned

    def filters(self) -> dict:
        """The valid filters; a field with a bad value is left out (and reported by the form)."""
        data = self.cleaned_data if self.is_bound else {}
        if self.non_field_errors():
            data = {k: v for k, v in data.items() if k not in ("since", "until")}
        return {
            name: data[name]
            for name in ("candidate", "kind", "failure_mode", "since", "until")
            if data.get(name) not in ("", None)
        }

    def chosen_status(self) -> str:
        data = self.cleaned_data if self.is_bound else {}
        return data.get("status") or "unreviewed"


class InviteEmailForm(forms.Form):
    email = forms.EmailField(
        label="Coach's email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter the coach's email address.",
            "invalid": "Enter an email address such as coach@example.com.",
        },
    )


class InviteCodeForm(forms.Form):
    code = forms.CharField(label="Invite code", max_length=32, strip=True)


class AssignCoachForm(forms.Form):
    candidate = forms.ModelChoiceField(
        label="Candidate", queryset=User.objects.filter(role=Role.CANDIDATE).order_by("username")
    )
    coach = forms.ModelChoiceField(
        label="Coach", queryset=User.objects.filter(role=Role.COACH).order_by("username")
    )


class FlagForm(forms.Form):
    answer = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=ReviewFlag.Action.choices, widget=forms.HiddenInput)
    failure_mode = forms.CharField(
        label="Failure mode",
        max_length=40,
        error_messages={"required": "Choose a failure mode from the list."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason, so the candidate and rubric authors learn."},
    )


class OwnFlagForm(forms.Form):
    answer = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(
        label="Title",
        max_length=MAX_FLAG_TITLE,
        error_messages={"required": "Give the flag a short title."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason, so the candidate and rubric authors learn."},
    )


class CommentForm(forms.Form):
    answer = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    text = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class ReviewedForm(forms.Form):
    comment = forms.CharField(
        label="Overall comment", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


def parse_scores(data) -> dict[tuple[int, str], int]:
    """The `score-<answer id>-<criterion key>` fields of a POST; ValueError on a bad one."""
    scores = {}
    for name, value in data.items():
        if not name.startswith("score-"):
            continue
        answer_id, _, key = name.removeprefix("score-").partition("-")
        try:
            scores[(int(answer_id), key)] = int(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a score from 1 to {MAX_SCORE}.") from None
    if not scores:
        raise ValueError("No scores were sent.")
    return scores


class AgreementPeriodForm(forms.Form):
    since = forms.DateField(label="From", widget=DATE)
    until = forms.DateField(label="Until", widget=DATE)

    @staticmethod
    def default_period(today: date | None = None) -> dict[str, date]:
        today = today or timezone.localdate()
        return {"since": today - timedelta(days=29), "until": today}

    def clean(self):
        cleaned = super().clean()
        _check_period(cleaned, "since", "until")
        return cleaned
