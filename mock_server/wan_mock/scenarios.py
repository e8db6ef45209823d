"""Per-task scenarios: what the real service cannot be told to do.

``X-Mock-Scenario: <directive>[; <directive>…]`` on a submit (or queued for a key through the
control plane) with directives:

- ``fail=<Code>``    the task ends FAILED with that code and its documented message;
- ``reject=<Code>``  the submit itself answers with that code's HTTP status and envelope;
- ``pending=<s>``    seconds this task waits before it runs;
- ``running=<s>``    seconds it runs.

Codes are those of the spec's ``x-wan-errors``; an unknown directive or code is an error that
names it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .spec import ErrorInfo

__all__ = ["Scenario", "ScenarioError", "parse_scenario"]

_NUMERIC = ("pending", "running")


class ScenarioError(ValueError):
    """A scenario that cannot be understood; the message names the offending part."""


@dataclass(frozen=True)
class Scenario:
    """What a scenario asks of one submit: ``fail`` (code, message on the task), ``reject``
    (a code to answer the submit with), and this task's ``pending``/``running`` seconds."""

    fail: tuple[str, str] | None = None
    reject: str | None = None
    pending: float | None = None
    running: float | None = None


def parse_scenario(text: str, errors: Mapping[str, ErrorInfo]) -> Scenario:
    """Parse a scenario header against the documented error table."""
    values: dict[str, Any] = {}
    for raw in text.split(";"):
        directive = raw.strip()
        if not directive:
            continue
        name, sep, value = (part.strip() for part in directive.partition("="))
        if not sep or not value:
            raise ScenarioError(f"X-Mock-Scenario directive {directive!r} needs a value")
        if name in ("fail", "reject"):
            if value not in errors:
                raise ScenarioError(f"X-Mock-Scenario {name}: unknown error code {value!r}")
            if name == "fail":
                values["fail"] = (value, errors[value].task_message)
            else:
                values["reject"] = value
        elif name in _NUMERIC:
            try:
                seconds = float(value)
            except ValueError:
                raise ScenarioError(
                    f"X-Mock-Scenario {name}: {value!r} is not a number of seconds"
                ) from None
            if not math.isfinite(seconds) or seconds < 0:
                raise ScenarioError(f"X-Mock-Scenario {name}: {value!r} must be >= 0")
            values[name] = seconds
        else:
            raise ScenarioError(f"X-Mock-Scenario: unknown directive {name!r}")
    return Scenario(**values)
