"""The console: the mock's HTML pages for people (``/__mock/console``, tag ``pages`` of
``openapi/mock-control.yaml``).

Three pages — the task table, one task, the journal — rendered on the server from the control
plane's own views of the state (:class:`~wan_mock.control.MockControl`), with Jinja templates
from ``wan_mock/_http/templates``. Each page marks its live parts (``data-live="<name>"``);
``_static/console.js`` fetches the page again once a second and swaps in the parts that
changed, and sends the controls' forms to the control plane's JSON operations,
so a control in the page is the same operation, guarded the same way, as over HTTP. Nothing is
loaded from anywhere but the mock.
"""

from __future__ import annotations

import functools
import json
import math
import urllib.parse
from collections.abc import Mapping
from typing import Any

import jinja2

from .._domain._clock import utc_text
from .._domain._lifecycle import CANCELED, PENDING, RUNNING, STATUSES, SUCCEEDED, TERMINAL
from .._domain._media import VideoShape
from .._service._control import MockControl
from .._spec._errors import NotFound

__all__ = ["PAGE_SIZE", "journal_page", "task_page", "tasks_page"]

#: Rows per page of the task table.
PAGE_SIZE = 50
_STATUS_CLASSES = {"2xx": (200, 300), "4xx": (400, 500), "5xx": (500, 600)}


@functools.cache
def _templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("wan_mock._http", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = utc_text
    environment.filters["pretty"] = _pretty
    return environment


def _pretty(value: Any) -> str:
    """A request body as indented JSON, long strings (``data:`` URIs) shortened."""
    return json.dumps(_shortened(value), ensure_ascii=False, indent=2)


#: Strings longer than this are shown by their start and length.
_LONGEST_SHOWN = 300


def _shortened(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _LONGEST_SHOWN:
        return f"{value[:80]}… ({len(value):,} characters)"
    if isinstance(value, dict):
        return {key: _shortened(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shortened(item) for item in value]
    return value


def _relative(seconds: float | None, now: float) -> str:
    """How far a moment is from now, as a person reads it (``in 3.0 s``, ``12.5 s ago``)."""
    if seconds is None:
        return ""
    delta = seconds - now
    if abs(delta) < 0.05:
        return "now"
    amount = abs(delta)
    text = f"{amount:.1f} s" if amount < 120 else f"{amount / 60:.1f} min"
    return f"in {text}" if delta > 0 else f"{text} ago"


def _render(template: str, **context: Any) -> str:
    return _templates().get_template(f"console/{template}.html").render(**context)


def _common(control: MockControl) -> dict[str, Any]:
    clock = control.clock()
    return {
        "clock": clock,
        "now": clock["now"],
        "relative": _relative,
        "controllable": control.clock_controllable(),
    }


# ---------------------------------------------------------------------- pages
def tasks_page(control: MockControl, args: Mapping[str, Any]) -> str:
    """The task table: a page of every key's tasks, newest first, filtered as ``args`` say
    (``status``, ``model``, ``key_id``, ``page``; validated against the spec by the view)."""
    filters = {name: args[name] for name in ("status", "model", "key_id") if args.get(name)}
    page = int(args.get("page", 1))
    total, tasks = control.task_page(**filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    return _render(
        "tasks",
        **_common(control),
        tasks=tasks,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        statuses=STATUSES,
        models=sorted(control.state.spec.models),
        page_link=lambda number: "?" + urllib.parse.urlencode({**filters, "page": number}),
    )


def task_page(control: MockControl, task_id: str, *, origin: str) -> str:
    """One task: its request, timeline, scenario, journal rows, failure and video."""
    task = control.task(task_id)
    if task is None:
        raise NotFound(f"The mock has no task {task_id}.")
    record = control.state.store.get(task_id)
    assert record is not None
    video = None
    if task["status"] == SUCCEEDED and record.video is not None:
        shape = VideoShape(*record.video)
        video = {
            "url": control.state.backend.video_url(record, origin + "/results"),
            "shape": shape,
        }
    return _render(
        "task",
        **_common(control),
        task=task,
        timeline=_timeline(task, control.clock()["now"]),
        journal=control.journal(task_id=task_id, limit=control.state.journal.size),
        video=video,
        live=not task["terminal"],
    )


def _timeline(task: Mapping[str, Any], now: float) -> list[dict[str, Any]]:
    """The lifecycle's steps, PENDING → RUNNING → terminal, each with its time and whether it
    has happened yet."""
    steps: list[dict[str, Any]] = [
        {
            "status": PENDING,
            "label": "submitted",
            "at": task["submitted_at"],
            "reached": True,
            "waits_for_polls": False,
        }
    ]
    canceled = task["canceled_at"]
    if canceled is not None and canceled <= now:
        steps.append(
            {
                "status": CANCELED,
                "label": "canceled",
                "at": canceled,
                "reached": True,
                "waits_for_polls": False,
            }
        )
        return steps
    for status, label, at in (
        (RUNNING, "started", task["start_at"]),
        (task["outcome"], "ended", task["end_at"]),
    ):
        steps.append(
            {
                "status": status,
                "label": label,
                "at": at,
                "reached": at is not None and at <= now,
                "waits_for_polls": at is None,
            }
        )
    return steps


def journal_page(control: MockControl, args: Mapping[str, Any]) -> str:
    """The newest journal entries, filtered by operation, task and status class."""
    entries = control.journal(
        args.get("operation"), args.get("task_id"), limit=control.state.journal.size
    )
    status_class = args.get("status_class")
    if status_class:
        low, high = _STATUS_CLASSES[status_class]
        entries = [entry for entry in entries if low <= entry["status"] < high]
    return _render(
        "journal",
        **_common(control),
        entries=entries,
        filters={k: args[k] for k in ("operation", "task_id", "status_class") if args.get(k)},
        operations=control.state.spec.operations,
        status_classes=tuple(_STATUS_CLASSES),
        terminal=TERMINAL,
    )
