"""The deployment files: the Docker image and the compose stack."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def dockerfile_instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()[:1] not in "#"]


def test_the_image_installs_the_locked_dependencies_before_it_copies_the_source():
    steps = dockerfile_instructions()
    copies = [i for i, step in enumerate(steps) if step.startswith("COPY ")]
    install = next(i for i, step in enumerate(steps) if "pip install" in step)

    # Only the lock comes in before the install, so a source change reuses that layer.
    assert steps[copies[0]] == "COPY requirements.txt ./"
    assert copies[0] < install < copies[1]
    assert steps[copies[1]] == "COPY . ."
    assert "--require-hashes" in steps[install]
    assert "-r requirements.txt" in steps[install]


def test_the_image_leaves_local_secrets_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored
