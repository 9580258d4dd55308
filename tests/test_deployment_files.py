"""The deployment files agree with each other: compose.yaml, the Dockerfile, .env.example and the
README's Deployment section."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def example_variables() -> set[str]:
    """Every variable .env.example names, set or commented out."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def deployment_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]


def test_every_variable_a_compose_worker_gets_is_in_the_example_file() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    workers = {name: s for name, s in compose["services"].items() if "build" in s}
    assert len(workers) == 2
    named = {variable for service in workers.values() for variable in service["environment"]}
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "compose.yaml").read_text()))
    assert (named | interpolated) - example_variables() == set()


def test_every_variable_the_deployment_section_names_is_in_the_example_file() -> None:
    named = set(re.findall(r"`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`", deployment_section()))
    assert {"REDIS_URL", "TELEGRAM_WEBHOOK_SECRET", "DISCORD_SHARD_IDS"} <= named
    assert named - example_variables() == set()


def test_the_image_copies_every_package_the_project_installs() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    included = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {pattern.rstrip("*") for pattern in included}
    copied = set(re.findall(r"^COPY (\S+) ", (ROOT / "Dockerfile").read_text(), re.MULTILINE))
    assert packages <= copied
