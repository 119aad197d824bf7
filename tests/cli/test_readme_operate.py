"""The README's "Operate" section runs as written: from an empty folder, every line of its
shell block, in order, each a separate process that must exit 0 — init, people, record from
JSON, check, status, deadlines, export, verify. An `export NAME=VALUE` line sets the variable
for the lines after it, as the shell would."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def operate_lines() -> list[str]:
    """The command lines of the shell blocks under "## Operate", up to the next section."""
    text = README.read_text()
    section = text.split("\n## Operate\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_operate_section_runs_from_an_empty_folder(tmp_path: Path) -> None:
    lines = operate_lines()
    commands = [" ".join(line.split()[:2]) for line in lines if line.startswith("pmledger ")]
    needs = ("init", "people", "record", "check", "case", "deadlines", "export", "verify")
    for needed in (f"pmledger {word}" for word in needs):
        assert needed in commands, f"the Operate section has no `{needed}` line"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMLEDGER_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for line in lines:
        if line.startswith("export "):
            name, _, value = shlex.split(line)[1].partition("=")
            env[name] = value
            continue
        done = subprocess.run(
            ["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{line}\nexit {done.returncode}\n{done.stdout}{done.stderr}"
    assert (tmp_path / "bundle" / "bundle.zip").exists()
    assert (tmp_path / "ledger.sqlite").exists()
