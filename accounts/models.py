from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    COACH = "coach", "Coach"
    ADMIN = "admin", "Admin"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CANDIDATE)

    @property
    def is_coach(self) -> bool:
        return self.role == Role.COACH

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def role_label(self) -> str:
        """The role as people see it: a superuser counts as an admin whatever `role` says."""
        return Role.ADMIN.label if self.is_admin_role else self.get_role_display()
