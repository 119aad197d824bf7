"""The default schedule lives once in retention/schedules and still ships inside the wheel."""

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
DEFAULT = REPO / "retention" / "schedules" / "default.toml"
PACKAGED = "pmledger/retention/schedules/default.toml"


def build_wheel(into: Path) -> Path:
    # --no-build-isolation keeps this offline, so the build backend must already be installed.
    if importlib.util.find_spec("hatchling") is None:
        pytest.fail("hatchling is not installed: add it to the test extras and reinstall them")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"),
            *("--quiet", "-w", str(into), str(REPO)),
        ],
        check=True,
    )
    (wheel,) = into.glob("pmledger-*.whl")
    return wheel


def test_wheel_ships_the_default_and_an_installed_package_loads_it(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(PACKAGED) == DEFAULT.read_bytes()
        site = tmp_path / "site"
        archive.extractall(site)

    # Import the unpacked wheel, not the checkout: nothing above it holds retention/schedules,
    # so load_default can only succeed by reading the packaged copy.
    probe = "import pmledger.retention as r; print(r.__file__); print(r.load_default().name)"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, name = result.stdout.splitlines()
    assert Path(module_file).is_relative_to(site)
    assert name == "pmledger default (IRMS schools toolkit)"
