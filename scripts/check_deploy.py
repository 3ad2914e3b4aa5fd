#!/usr/bin/env python
"""Django's deployment checks with the production environment that README.md documents.

Runs `manage.py check --deploy --fail-level WARNING` with the variables of the README's
"production environment" block and, from this shell, only PATH, HOME and the locale, so the
documented setup is the one checked (a stray DJANGO_ALLOW_ASYNC_UNSAFE or DEBUG would change
the result). The README's SECRET_KEY is a placeholder: a random key stands in for it. CI runs
this (.ci/run).

    .venv/bin/python scripts/check_deploy.py
    .venv/bin/python scripts/check_deploy.py --without SECURE_HSTS_SECONDS   # what it guards
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- production environment:"
END = "<!-- end of the production environment -->"
KEPT = {"PATH", "HOME", "LANG", "TMPDIR"}


def production_environment() -> dict[str, str]:
    """NAME=value lines of the README's production block, in order."""
    readme = (ROOT / "README.md").read_text()
    start, end = readme.index(START), readme.index(END)
    lines = readme[start:end].splitlines()[1:]
    return dict(line.strip().split("=", 1) for line in lines if line.strip())


def prep_variables() -> set[str]:
    """Every variable the settings read, as .env.example lists them."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--without", action="append", default=[], metavar="NAME")
    args = parser.parse_args()
    production = production_environment()
    unknown = set(production) - prep_variables()
    if unknown:
        parser.error(f"the README sets variables .env.example does not list: {sorted(unknown)}")
    production["SECRET_KEY"] = secrets.token_urlsafe(50)
    for name in args.without:
        production.pop(name, None)
    env = {k: v for k, v in os.environ.items() if k in KEPT or k.startswith("LC_")}
    env |= production | {"DJANGO_SETTINGS_MODULE": "prep.settings"}
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
