"""``X-Mock-Scenario`` headers for the lifecycle tests (``mock_scenarios``): the codes come from
``x-wan-errors`` (those documented on a FAILED task, or on a submit) and the waits reach past
the task timeout of ``x-wan-service``."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from contract_tests.support.spec_data import spec_document

__all__ = [
    "Scenario",
    "mock_scenarios",
]


# ---------------------------------------------------------------------- mock scenarios
@dataclass(frozen=True)
class Scenario:
    """An ``X-Mock-Scenario`` header and what it should do to the task."""

    header: str | None
    pending: float | None = None
    running: float | None = None
    fail: tuple[str, str] | None = None
    reject: str | None = None


def _task_failures() -> list[tuple[str, str]]:
    """(code, message on the task) of every code the spec documents on a FAILED task."""
    out = []
    for code, entry in spec_document()["x-wan-errors"].items():
        if "task" in entry.get("stages", ()):
            out.append((str(code), str(entry.get("task_message", entry["message"]))))
    return out


def _submit_errors() -> list[str]:
    return [
        str(c)
        for c, e in spec_document()["x-wan-errors"].items()
        if "submit" in e.get("stages", ())
    ]


def _seconds() -> st.SearchStrategy[float]:
    """Waits: short ones, and around and past the task timeout (``x-wan-service``)."""
    timeout = spec_document()["x-wan-service"]["task_timeout_seconds"]
    around = [timeout - 1, timeout, timeout + 1]
    return st.one_of(
        st.integers(0, 5),
        st.sampled_from([0.25, 0.5, 1.5, 59.5, 600, 3600, 7200, *around, 20000]),
    )


@st.composite
def _scenario(draw: st.DrawFn, reject: bool) -> Scenario:
    if reject:
        code = draw(st.sampled_from(_submit_errors()))
        return Scenario(f"reject={code}", reject=code)
    parts: list[str] = []
    fail = draw(st.none() | st.sampled_from(_task_failures()))
    pending = draw(st.none() | _seconds())
    running = draw(st.none() | _seconds())
    if fail is not None:
        parts.append(f"fail={fail[0]}")
    if pending is not None:
        parts.append(f"pending={pending}")
    if running is not None:
        parts.append(f"running={running}")
    header = "; ".join(parts) if parts else None
    return Scenario(
        header,
        None if pending is None else float(pending),
        None if running is None else float(running),
        fail,
    )


def mock_scenarios(*, reject: bool = False) -> st.SearchStrategy[Scenario]:
    """``X-Mock-Scenario`` headers: none, ``fail=<code>`` (codes the spec documents on a
    FAILED task), ``pending=<s>``/``running=<s>`` (short, and around and past the task
    timeout) — or, with ``reject``, ``reject=<code>`` for codes documented on a submit."""
    return _scenario(reject)
