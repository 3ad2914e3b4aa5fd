"""The dependency lock: what `make install` and the Docker image install, version for version."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def requirements(*, dev: bool) -> list[Requirement]:
    project = PYPROJECT["project"]
    return [Requirement(r) for r in project["dependencies"]] + (
        [Requirement(r) for r in project["optional-dependencies"]["dev"]] if dev else []
    )


def locked(name: str) -> dict[str, tuple[str, list[str]]]:
    """{canonical name: (version, hashes)} from a lock written by `make lock`."""
    pins = {}
    # One entry: "name==version [; marker] \" then "--hash=sha256:..." lines, then comments.
    for entry in re.split(r"\n(?=[A-Za-z0-9])", (ROOT / name).read_text()):
        if entry.startswith("#") or not entry.strip():
            continue
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;\\]+)", entry)
        assert match, f"{name}: not an exact pin: {entry.splitlines()[0]}"
        pins[canonicalize_name(match[1])] = (match[2], re.findall(r"--hash=sha256:\w+", entry))
    return pins


@pytest.mark.parametrize(
    ("lock", "dev"), [("requirements.txt", False), ("requirements-dev.txt", True)]
)
def test_the_lock_pins_every_requirement_with_hashes_within_pyproject(lock, dev):
    pins = locked(lock)

    for name, (_, hashes) in pins.items():
        assert hashes, f"{lock}: {name} has no hash"
    for requirement in requirements(dev=dev):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} lacks {name}: run `make lock`"
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} pins {name}=={version}, outside pyproject's {requirement.specifier}: "
            "run `make lock`"
        )


def test_the_dev_lock_has_the_same_versions_as_the_production_lock():
    production, dev = locked("requirements.txt"), locked("requirements-dev.txt")
    assert {name: dev[name][0] for name in production} == {
        name: version for name, (version, _) in production.items()
    }


def test_django_and_openai_are_held_to_the_versions_the_code_is_written_for():
    pins = {canonicalize_name(r.name): r.specifier for r in requirements(dev=False)}
    # MAILERS is a Django 6.1 setting: 6.0 would ignore it and send mail over SMTP to localhost.
    assert not pins["django"].contains("6.0.10")
    assert pins["django"].contains("6.1.3")
    assert not pins["django"].contains("6.2")
    # The LLM scorer uses the 2.x client; a new major may change what it calls.
    assert pins["openai"].contains("2.54.0")
    assert not pins["openai"].contains("3.0.0")
