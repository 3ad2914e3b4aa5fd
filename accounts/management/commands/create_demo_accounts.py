from django.core.management.base import BaseCommand

from accounts.services import reset_demo_accounts


class Command(BaseCommand):
    help = "Create or reset the demo candidate, coach and admin accounts and print their passwords."

    def handle(self, *args, **options):
        self.stdout.write("Demo accounts (passwords are new each time this runs):")
        for user, password in reset_demo_accounts():
            self.stdout.write(
                f"  {user.role:<10} username: {user.username:<10} password: {password}"
            )
