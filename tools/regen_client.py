"""Regenerate ``src/wan_video_client`` from ``openapi/wan-video.yaml``.

``python tools/regen_client.py`` empties the package folder and generates it afresh (stale files
cannot survive: openapi-python-client's ``--overwrite`` keeps them). ``--check`` generates into a
temporary folder instead and exits 1, listing every differing, missing or extra file, when the
committed package is not exactly what the spec produces.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "wan-video.yaml"
CONFIG = ROOT / "codegen" / "config.yaml"
# Overrides of the generator's built-in templates (it cannot add files, only replace them).
TEMPLATES = ROOT / "codegen" / "templates"
PACKAGE = ROOT / "src" / "wan_video_client"


def builtin_templates() -> Path:
    """The template folder of the openapi-python-client this interpreter runs."""
    spec = importlib.util.find_spec("openapi_python_client")
    if spec is None or spec.origin is None:
        raise SystemExit("openapi-python-client is not installed for this interpreter")
    return Path(spec.origin).parent / "templates"


def template_folder(tmp: Path) -> Path:
    """The project's overrides beside a copy of the built-in templates as ``builtin/``.

    An override cannot ``extends`` the template it replaces (the loader would find the override
    again), so each one includes ``builtin/<its own name>`` and appends to it.
    """
    folder = tmp / "templates"
    shutil.copytree(TEMPLATES, folder)
    shutil.copytree(
        builtin_templates(), folder / "builtin", ignore=shutil.ignore_patterns("__pycache__")
    )
    return folder


def generate(target: Path) -> None:
    """Generate the package into ``target`` (which must not exist)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(SPEC),
            "--config",
            str(CONFIG),
            "--custom-template-path",
            str(template_folder(Path(tmp))),
            "--meta",
            "none",
            "--output-path",
            str(target),
            "--fail-on-warning",
        ]
        # The post-hooks call `ruff`: use the pinned one next to this interpreter.
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"openapi-python-client failed with exit code {result.returncode}")
    (target / "py.typed").write_text("# Marker file for PEP 561\n")


def differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that differ between two package trees, ignoring caches."""

    def files(root: Path) -> set[str]:
        return {
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }

    want, have = files(expected), files(actual)
    out = [f"missing: {name}" for name in sorted(want - have)]
    out += [f"extra: {name}" for name in sorted(have - want)]
    out += [
        f"differs: {name}"
        for name in sorted(want & have)
        if not filecmp.cmp(expected / name, actual / name, shallow=False)
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on drift, change nothing")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "wan_video_client"
            generate(fresh)
            diff = differences(fresh, PACKAGE)
        if diff:
            print("src/wan_video_client differs from a fresh generation of the spec:")
            print("\n".join(f"  {line}" for line in diff))
            print("Run `make client` (never edit the generated package by hand).")
            return 1
        print("generated client is up to date with openapi/wan-video.yaml")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "wan_video_client"
        generate(fresh)
        if PACKAGE.exists():
            shutil.rmtree(PACKAGE)
        shutil.copytree(fresh, PACKAGE)
    print(f"regenerated {PACKAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
