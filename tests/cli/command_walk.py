"""Every leaf command of the CLI, by its path ("pack show"), walked from the typer app, so a
test over all commands covers a new one without being told."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from typer.main import get_command

from pmledger.cli.main import app


def every_command() -> Iterator[tuple[str, Any]]:
    def walk(command: Any, path: str) -> Iterator[tuple[str, Any]]:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                yield from walk(child, f"{path} {name}".strip())
        else:
            yield path, command

    yield from walk(get_command(app), "")
