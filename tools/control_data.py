"""Write ``src/wan_mock/_testing/_control_operations.json``: the method and path of every control
operation of ``openapi/mock-control.yaml``, by operationId, for ``MockControls``.

``import wan_mock`` must not need PyYAML (a client-only install drives a running mock with
``RunningMock``), so the harness reads this small JSON file instead of the spec. The control
operations are every operation not tagged ``pages`` or ``files`` (the mock's pages and the files
the API's answers point at). Nothing in it is written by hand. ``--check`` changes nothing and
exits 1 when the committed file is not what the spec gives (the test suite runs it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "mock-control.yaml"
TARGET = ROOT / "src" / "wan_mock" / "_testing" / "_control_operations.json"
#: The tags of the control spec's operations that are not the control plane's.
NOT_CONTROL = frozenset({"pages", "files"})

sys.path.insert(0, str(ROOT / "src"))
from wan_mock._spec._documents import ControlSpec, load_control_spec  # noqa: E402


def build(spec: ControlSpec) -> dict[str, Any]:
    return {
        "source": f"openapi/mock-control.yaml {spec.document['info']['version']}",
        "operations": {
            op.operation_id: {"method": op.method, "path": op.path}
            for op in spec.operations.values()
            if not NOT_CONTROL & set(op.definition.get("tags", ()))
        },
    }


def render(spec: ControlSpec) -> str:
    return json.dumps(build(spec), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on drift, change nothing")
    args = parser.parse_args(argv)
    text = render(load_control_spec(SPEC))
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} differs from the spec: run make control-data")
            return 1
        print(f"{TARGET.relative_to(ROOT)} is up to date with {SPEC.relative_to(ROOT)}")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
