"""What the scripts that write a JSON data file from a spec share (``wan_video_data.py``,
``control_data.py``): the file's form (indented, keys sorted, UTF-8, a final newline), and
writing it, or with ``--check`` changing nothing and exiting 1 when the committed file is not
what the spec gives."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def render(data: Mapping[str, Any]) -> str:
    """A data file's text."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_or_check(
    description: str,
    target: Path,
    source: Path,
    build: Callable[[], Mapping[str, Any]],
    remake: str,
    argv: list[str] | None = None,
) -> int:
    """The script's ``main``: ``target`` written with what ``build()`` takes from ``source``,
    or checked against it (``remake`` is the command that rewrites it)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail on drift, change nothing")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target.relative_to(ROOT)} differs from the spec: run {remake}")
            return 1
        print(f"{target.relative_to(ROOT)} is up to date with {source.relative_to(ROOT)}")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 0
