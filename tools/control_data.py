"""Write ``src/wan_mock/_testing/_control_operations.json``: the method and path of every control
operation of ``openapi/mock-control.yaml``, by operationId, for ``MockControls``.

``import wan_mock`` must not need PyYAML (a client-only install drives a running mock with
``RunningMock``), so the harness reads this small JSON file instead of the spec. The control
operations are every operation not tagged ``pages`` or ``files`` (the mock's pages and the files
the API's answers point at). Nothing in it is written by hand. ``--check`` changes nothing and
exits 1 when the committed file is not what the spec gives (``make check-control-data``; the test
suite holds the file to the spec itself).
"""

from __future__ import annotations

import sys
from typing import Any

from spec_data_file import ROOT, write_or_check

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


def main(argv: list[str] | None = None) -> int:
    return write_or_check(
        __doc__.splitlines()[0],
        TARGET,
        SPEC,
        lambda: build(load_control_spec(SPEC)),
        "make control-data",
        argv,
    )


if __name__ == "__main__":
    raise SystemExit(main())
