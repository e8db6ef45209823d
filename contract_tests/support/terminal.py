"""Running a console script in a child process, as a user's shell would: on pipes, or with one
of its streams on a pseudo-terminal (what ``wan`` and ``wan-mock`` show a person)."""

from __future__ import annotations

import os
import pty
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

__all__ = ["run_command"]


def run_command(
    command: list[str],
    *,
    env: Mapping[str, str],
    terminal: Literal["stdout", "stderr"] | None = None,
    columns: int = 120,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``command`` with both streams on pipes, or ``terminal`` on a pseudo-terminal of
    ``columns`` columns (its bytes read until the child closes it)."""
    if terminal is None:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=dict(env),
            timeout=timeout,
            check=False,
        )
    leader, follower = pty.openpty()
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, terminal: follower}
    with subprocess.Popen(
        command,
        stdout=streams["stdout"],
        stderr=streams["stderr"],
        text=True,
        cwd=cwd,
        env={**env, "COLUMNS": str(columns)},
    ) as process:
        os.close(follower)
        seen = bytearray()
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        other = process.stderr if terminal == "stdout" else process.stdout
        piped = other.read() if other else ""
        process.wait(timeout=timeout)
    os.close(leader)
    shown = seen.decode()
    out, err = (shown, piped) if terminal == "stdout" else (piped, shown)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)
