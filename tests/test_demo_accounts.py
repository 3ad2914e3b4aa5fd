from django.core.management import call_command

from accounts.models import User


def test_it_creates_three_roles_and_prints_working_passwords(db, capsys):
    call_command("create_demo_accounts")
    out = capsys.readouterr().out
    passwords = {}
    for line in out.splitlines()[1:]:
        words = line.split()
        passwords[words[2]] = words[4]
    assert set(passwords) == {"candidate", "coach", "admin"}
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="coach").role == "coach"
    assert not User.objects.get(username="candidate").is_staff


def test_running_it_again_resets_rather_than_duplicates(db, capsys):
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")
    assert User.objects.count() == 3
