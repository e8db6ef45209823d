"""Vendor Swagger UI into the mock's static assets (``src/wan_mock/_http/_static``).

``/docs`` and ``/__mock/docs`` render the specs with Swagger UI, and everything the pages need
ships in the package: no CDN, no network. This script takes the pinned ``swagger-ui-dist``
from the npm registry (``npm pack`` in a temporary folder, which checks the tarball's
integrity), copies only what the pages load and what its licence asks to keep — the bundle,
the stylesheet, the favicon, the licence, the NOTICE and the bundle's third-party licences;
no source maps — and records what it wrote in ``_static/VENDORED.json``: package, version,
licence, the tarball's integrity and each file's sha256 and size. The stylesheet's
``sourceMappingURL`` comment is dropped (the map is not shipped), so a browser's developer
tools ask for nothing that is not there.

Run it after changing :data:`VERSION` (and update ``THIRD_PARTY_NOTICES.md``); ``--check``
changes nothing and exits 1 when the vendored files are not what the pinned package gives.
The suite checks the files against the record offline
(``contract_tests/control/test_references.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "wan_mock" / "_http" / "_static"
RECORD = STATIC / "VENDORED.json"

PACKAGE = "swagger-ui-dist"
#: The pinned release (``npm view swagger-ui-dist version`` when it was vendored).
VERSION = "5.35.0"
LICENSE = "Apache-2.0"
#: File in the package -> its name in ``_static`` (a flat folder the console shares).
FILES = {
    "swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui.css",
    "favicon-32x32.png": "swagger-ui-favicon-32x32.png",
    "LICENSE": "swagger-ui.LICENSE",
    "NOTICE": "swagger-ui.NOTICE",
    # the bundle's first line points at it by this name: the licences of what it bundles
    "swagger-ui-bundle.js.LICENSE.txt": "swagger-ui-bundle.js.LICENSE.txt",
}
_SOURCE_MAP = re.compile(
    rb"\n?/\*# sourceMappingURL=[^*]*\*/\s*\Z|\n?//# sourceMappingURL=\S*\s*\Z"
)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pack(work: Path) -> tuple[Path, str]:
    """``npm pack`` of the pinned package into ``work``: the tarball and its integrity."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not on PATH")
    packed = subprocess.run(
        [npm, "pack", f"{PACKAGE}@{VERSION}", "--json", "--pack-destination", str(work)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if packed.returncode != 0:
        raise SystemExit(f"npm pack failed:\n{packed.stderr[-4000:]}")
    [report] = json.loads(packed.stdout)
    if (report["name"], report["version"]) != (PACKAGE, VERSION):
        raise SystemExit(f"npm packed {report['name']}@{report['version']}")
    return work / str(report["filename"]), str(report["integrity"])


def vendored(tarball: Path, integrity: str) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The files to write (name in ``_static`` -> bytes) and the record's entry."""
    with tarfile.open(tarball) as archive:

        def read(name: str) -> bytes:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{PACKAGE}@{VERSION} has no file {name}")
            return member.read()

        manifest = json.loads(read("package.json"))
        files = {target: read(source) for source, target in FILES.items()}
    if manifest.get("license") != LICENSE:
        raise SystemExit(f"{PACKAGE}@{VERSION} is licensed {manifest.get('license')!r}")
    files = {
        name: _SOURCE_MAP.sub(b"\n", data) if name.endswith((".js", ".css")) else data
        for name, data in files.items()
    }
    entry = {
        "package": PACKAGE,
        "version": VERSION,
        "license": LICENSE,
        "registry": f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz",
        "integrity": integrity,
        "changes": "sourceMappingURL comments removed (no source maps are shipped)",
        "files": {
            name: {
                "from": f"package/{source}",
                "sha256": _sha256(files[name]),
                "bytes": len(files[name]),
            }
            for source, name in FILES.items()
        },
    }
    return files, entry


def _record() -> dict[str, Any]:
    if not RECORD.exists():
        return {}
    record: dict[str, Any] = json.loads(RECORD.read_text(encoding="utf-8"))
    return record


def _render(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 when _static differs from the pinned package",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vendor-swagger-ui-") as temporary:
        files, entry = vendored(*_pack(Path(temporary)))
    record = {**_record(), PACKAGE: entry}
    if args.check:
        stale = [name for name, data in files.items() if _read(STATIC / name) != data]
        if _read(RECORD) != _render(record).encode():
            stale.append(RECORD.name)
        for name in stale:
            print(f"differs from {PACKAGE}@{VERSION}: _static/{name}", file=sys.stderr)
        return 1 if stale else 0
    STATIC.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (STATIC / name).write_bytes(data)
    RECORD.write_text(_render(record), encoding="utf-8")
    for name, data in files.items():
        print(f"_static/{name}: {len(data)} bytes")
    return 0


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
