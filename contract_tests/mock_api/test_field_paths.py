"""Dotted field paths (``_spec/_field_paths.py``), the one reading of ``input.prompt`` that the
rule table, the spec's defaults and image limits and the validation errors share."""

from __future__ import annotations

from typing import Any

import pytest

from wan_mock._spec._field_paths import drop_path, field_parts, field_path, get_path, set_path


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"input": {"prompt": "a cat"}}, "a cat"),
        ({"input": {"prompt": None}}, None),
        ({"input": {}}, None),
        ({"input": "not an object"}, None),
        ({}, None),
    ],
    ids=["present", "null", "absent", "parent-not-an-object", "no-parent"],
)
def test_a_path_reads_the_value_or_none(body: dict[str, Any], expected: Any) -> None:
    assert get_path(body, "input.prompt") == expected


def test_a_path_is_dropped_only_where_it_is() -> None:
    body: dict[str, Any] = {"input": {"prompt": "a cat", "seed": 1}, "parameters": 3}

    assert drop_path(body, "input.seed") is True
    assert drop_path(body, "input.seed") is False
    assert drop_path(body, "parameters.size") is False
    assert body == {"input": {"prompt": "a cat"}, "parameters": 3}


def test_a_path_is_set_making_its_parents() -> None:
    body: dict[str, Any] = {}

    set_path(body, "parameters.size", "1280*720")
    set_path(body, "parameters.duration", 5)

    assert body == {"parameters": {"size": "1280*720", "duration": 5}}


def test_a_location_is_written_as_the_path_it_is_read_as() -> None:
    assert field_path(["input", "ref_images_url", 0]) == "input.ref_images_url[0]"
    assert field_parts(field_path(["parameters", "size"])) == ("parameters", "size")
    assert field_path([]) == ""
