"""The committed lock (`requirements.lock`) is complete, exact, agrees with pyproject.toml, and is what runs.

The README installs with `pip install -r requirements.lock -e . --no-deps`: pip resolves nothing, so a
dependency added to pyproject.toml but not to the lock would be missing on a fresh machine. These tests
catch that before CI's fresh install does, for every Python the project supports.
"""

from __future__ import annotations

import os
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED_PYTHONS = ("3.11", "3.12")


def _environment(python: str) -> dict[str, str]:
    environment = default_environment()
    environment.update(python_version=python, python_full_version=f"{python}.0", sys_platform="linux")
    environment.update(platform_system="Linux", implementation_name="cpython")
    environment.update(platform_python_implementation="CPython")
    return environment


def _locked(python: str) -> dict[str, str]:
    """Package → exact version that the lock installs on ``python`` (Linux, CPython)."""
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate(_environment(python)):
            continue
        (specifier,) = requirement.specifier  # exactly one ==
        assert specifier.operator == "==", f"requirements.lock: {line!r} is not an exact pin"
        name = canonicalize_name(requirement.name)
        assert name not in pins, f"requirements.lock pins {name} twice for Python {python}"
        pins[name] = specifier.version
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_every_declared_dependency_is_locked_within_its_range(python: str) -> None:
    locked = _locked(python)
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is in pyproject.toml but not in requirements.lock: re-lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"requirements.lock pins {name}=={locked[name]} outside pyproject.toml's {requirement.specifier}"
        )
        for extra in requirement.extras:  # psycopg[binary] → psycopg-binary
            assert canonicalize_name(f"{name}-{extra}") in locked, f"{name}[{extra}] is not locked"


@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_the_lock_is_closed_every_locked_packages_requirements_are_locked(python: str) -> None:
    """Checked on the installed metadata of the packages present here (all of them in a locked venv)."""
    locked = _locked(python)
    environment = _environment(python)
    for name in locked:
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            environment["extra"] = ""
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            dependency = canonicalize_name(requirement.name)
            assert dependency in locked, f"{name} needs {dependency}, which requirements.lock lacks"


@pytest.mark.skipif(
    os.environ.get("FEEDBACK_UNLOCKED_ENV") == "1",
    reason="scripts/check_latest.sh runs the suite on versions other than the lock's on purpose",
)
def test_the_installed_versions_are_the_locked_ones() -> None:
    """A dependency upgrade is a deliberate change of the lock, never a surprise in a developer's venv."""
    import sys

    locked = _locked(f"{sys.version_info.major}.{sys.version_info.minor}")
    drift = []
    for name, version in sorted(locked.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            drift.append(f"{name} {version} is not installed")
            continue
        if installed != version:
            drift.append(f"{name} {installed} is installed, the lock says {version}")
    assert not drift, "install through the lock (see README): " + "; ".join(drift)
