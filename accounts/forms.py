from django import forms
from django.contrib.auth import forms as auth_forms

from accounts.models import Role, User


class FocusFirstErrorMixin(forms.BaseForm):
    """After a failed submit, autofocus the first field in error so keyboard and screen-reader
    users land on it; with only form-wide errors the template focuses the error box instead."""

    def full_clean(self) -> None:
        super().full_clean()
        if not self.errors:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        first = next((name for name in self.fields if name in self.errors), None)
        if first:
            self.fields[first].widget.attrs["autofocus"] = True

    @property
    def focus_error_summary(self) -> bool:
        return bool(self.errors) and not any(name in self.errors for name in self.fields)


# Admin is granted by an admin, never chosen at sign-up.
SIGNUP_ROLES = [
    (Role.CANDIDATE, "I am practising"),
    (Role.COACH, "I coach candidates"),
]


class SignUpForm(FocusFirstErrorMixin, auth_forms.UserCreationForm):
    email = forms.EmailField(
        max_length=254,
        help_text="Used to reset your password, and to tell a coach when candidates finish rounds.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    role = forms.ChoiceField(
        label="How will you use Prep?",
        choices=SIGNUP_ROLES,
        initial=Role.CANDIDATE,
        widget=forms.RadioSelect,
    )
    field_order = ["username", "email", "password1", "password2", "role"]

    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role")

    def clean_email(self) -> str:
        # No error for an address that is taken: the form would tell anyone who has an account.
        # services.sign_up keeps the address with its first account and mails its owner.
        return User.objects.normalize_email(self.cleaned_data["email"])


class LoginForm(FocusFirstErrorMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(FocusFirstErrorMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(FocusFirstErrorMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(FocusFirstErrorMixin, auth_forms.SetPasswordForm):
    pass
