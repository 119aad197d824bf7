"""The letters live beside the pack files in packs/<id>/letters and still ship in the wheel: an
installed package finds each template through its pack file's declaration, in the wheel."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.retention.test_retention_wheel import REPO, build_wheel


def test_wheel_ships_the_letters_beside_their_pack_files(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    beside = sorted(REPO.glob("packs/*/letters/*.j2"))
    assert len(beside) == 26
    with zipfile.ZipFile(wheel) as archive:
        for template in beside:
            packaged = f"pmledger/{template.relative_to(REPO).as_posix()}"
            assert archive.read(packaged) == template.read_bytes(), packaged
        site = tmp_path / "site"
        archive.extractall(site)

    probe = (
        "from pmledger.letters import shipped_templates, template_for; "
        "print(len(shipped_templates())); "
        "print(template_for('refocus-pm', 'refocus-app-b').origin)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    count, origin = result.stdout.splitlines()
    assert count == "26"
    assert (
        Path(origin) == site / "pmledger" / "packs" / "refocus-pm" / "letters" / "refocus-app-b.j2"
    )
