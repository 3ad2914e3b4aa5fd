from django.core.management.base import BaseCommand

from accounts.models import Role
from accounts.services import reset_demo_accounts
from practice.demo import seed_demo_data


class Command(BaseCommand):
    help = (
        "Create or reset the demo candidate, coach and admin accounts and print their passwords; "
        "give the candidate scored rounds and a coach's review the first time."
    )

    def handle(self, *args, **options):
        self.stdout.write("Demo accounts (passwords are new each time this runs):")
        users = {}
        for user, password in reset_demo_accounts():
            users[user.role] = user
            self.stdout.write(
                f"  {user.role:<10} username: {user.username:<10} password: {password}"
            )
        seeded = seed_demo_data(
            candidate=users[Role.CANDIDATE], coach=users[Role.COACH], admin=users[Role.ADMIN]
        )
        if seeded:
            self.stdout.write(
                f"Demo data: {seeded.rounds} scored rounds ({seeded.answers} answers) for the "
                f"candidate and {seeded.reviews} coach review."
            )
        else:
            self.stdout.write("Demo data: already there (or the question bank is not loaded).")
