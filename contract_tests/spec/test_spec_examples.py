"""The spec's examples are right, and they are the seeds' (issue 2, part 5).

Every request example validates against exactly its own variant (the one ``x-wan-models`` says)
and every response example against its response schema; every curl body of the seed documents is
one of the spec's request examples and matches exactly one variant, every response the seeds show
is one of its response examples, and every message of the spec that the seeds quote is the seed
text character for character (a final period included). Without the seed documents these tests
fail under ``CI=true`` and skip elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from contract_tests.support.seeds import seed_texts
from contract_tests.support.spec_data import (
    component_name,
    operations,
    resolve_ref,
    spec_document,
    validator_for,
)
from contract_tests.support.spec_schemas import (
    Json,
    JsonObject,
    error_report,
    example_value,
    lookup,
    matching_branches,
    request_body_schema,
    submit_operations,
    video_generation_operation,
)

# ============================================================================ 5. examples


def request_examples() -> list[tuple[str, str, JsonObject]]:
    """(operationId, example name, operation) for every request example."""
    return [
        (operation.get("operationId", "<no operationId>"), name, operation)
        for operation in submit_operations()
        for name in operation["requestBody"]["content"]["application/json"].get("examples", {})
    ]


def expected_request_schema(body: JsonObject) -> str:
    """The variant ``x-wan-models`` says a body is: the model's request, or for VACE the one
    whose ``input.function`` const is the body's function."""
    requests: list[str] = spec_document()["x-wan-models"][body["model"]]["requests"]
    if len(requests) == 1:
        return requests[0]
    function = body["input"].get("function")
    return next(n for n in requests if lookup(n, "input.function").view.const == function)


@pytest.mark.parametrize(
    ("operation_id", "name", "operation"),
    request_examples(),
    ids=[f"{op}/{name}" for op, name, _ in request_examples()],
)
def test_request_example_matches_exactly_its_own_variant(
    operation_id: str, name: str, operation: JsonObject
) -> None:
    example = operation["requestBody"]["content"]["application/json"]["examples"][name]
    body = example_value(example)
    schema = request_body_schema(operation)
    validator = validator_for(schema)
    assert validator.is_valid(body), error_report(validator, body)
    expected = expected_request_schema(body)
    assert matching_branches(schema, body) == [expected]
    submit = request_body_schema(video_generation_operation())
    assert matching_branches(submit, body) == [expected]


def response_examples() -> list[tuple[str, JsonObject, Json]]:
    """(label, schema, example value) for every response example, each response once."""
    found: dict[str, tuple[str, JsonObject, Json]] = {}
    for _, _, operation in operations():
        for status, response in operation["responses"].items():
            owner = component_name(response) if "$ref" in response else None
            content = resolve_ref(response).get("content", {}).get("application/json", {})
            for name, example in content.get("examples", {}).items():
                label = f"{owner or operation.get('operationId', '?') + '/' + status}/{name}"
                found[label] = (label, content["schema"], example_value(example))
    return sorted(found.values(), key=lambda item: item[0])


@pytest.mark.parametrize(
    ("label", "schema", "value"), response_examples(), ids=[r[0] for r in response_examples()]
)
def test_response_example_validates_against_its_response_schema(
    label: str, schema: JsonObject, value: Json
) -> None:
    validator = validator_for(schema)
    assert validator.is_valid(value), f"{label}: {error_report(validator, value)}"


def test_every_submit_operation_carries_request_examples() -> None:
    for operation in submit_operations():
        examples = operation["requestBody"]["content"]["application/json"].get("examples")
        assert examples, f"{operation.get('operationId')} has no request example"


# ---------------------------------------------------------------------------- seed curl bodies

_CURL_BODY: Final = re.compile(r"--data(?:-raw)?\s+'(\{.*?\})'", re.DOTALL)


def seed_request_bodies() -> list[tuple[str, JsonObject]]:
    """Every curl ``--data``/``--data-raw`` body of the seeds that is valid JSON."""
    bodies = []
    for name, text in seed_texts():
        for number, match in enumerate(_CURL_BODY.finditer(text), start=1):
            try:
                body = json.loads(match.group(1))
            except json.JSONDecodeError:
                continue  # mangled seed text
            bodies.append((f"{name}#{number}", body))
    return bodies


def seed_response_examples() -> list[tuple[str, JsonObject]]:
    """Every complete JSON object in the seeds that carries a ``request_id`` (a response)."""
    decoder = json.JSONDecoder()
    found = []
    for name, text in seed_texts():
        index = text.find("{")
        while index != -1:
            try:
                value, end = decoder.raw_decode(text, index)
            except json.JSONDecodeError:
                index = text.find("{", index + 1)
                continue
            if isinstance(value, dict) and "request_id" in value:
                found.append((name, value))
            index = text.find("{", end)
    return found


def all_request_example_values() -> list[Json]:
    return [
        example_value(example)
        for operation in submit_operations()
        for example in operation["requestBody"]["content"]["application/json"]["examples"].values()
    ]


def test_seed_documents_yield_at_least_ten_curl_bodies() -> None:
    assert len(seed_request_bodies()) >= 10


@pytest.mark.slow
@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 failed"), (None, "1 skipped")])
def test_missing_seed_documents_fail_the_run_under_ci_and_skip_elsewhere(
    tmp_path: Path, ci: str | None, outcome: str
) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment["WAN_SEEDS_DIR"] = str(tmp_path / "no-seeds-here")
    if ci is not None:
        environment["CI"] = ci
    test = f"{Path(__file__).name}::test_seed_documents_yield_at_least_ten_curl_bodies"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--no-cov", "-p", "no:cacheprovider", "-q", "-rsf", test],
        cwd=Path(__file__).parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert outcome in done.stdout, done.stdout[-2000:]
    assert "seed documents not found" in done.stdout
    assert (done.returncode != 0) == (ci is not None)


def test_every_seed_curl_body_is_one_of_the_spec_request_examples() -> None:
    examples = all_request_example_values()
    missing = [label for label, body in seed_request_bodies() if body not in examples]
    assert not missing, f"seed bodies the spec does not carry as examples: {missing}"


def test_every_seed_curl_body_matches_exactly_one_variant() -> None:
    submit = request_body_schema(video_generation_operation())
    wrong = {
        label: matching_branches(submit, body)
        for label, body in seed_request_bodies()
        if matching_branches(submit, body) != [expected_request_schema(body)]
    }
    assert not wrong


def test_every_seed_response_example_is_one_of_the_spec_response_examples() -> None:
    seeds = seed_response_examples()
    assert len(seeds) >= 4
    examples = [value for _, _, value in response_examples()]
    missing = [
        f"{name}: {json.dumps(value)[:80]}" for name, value in seeds if value not in examples
    ]
    assert not missing


def _spec_messages() -> list[tuple[str, str]]:
    """``(where, text)`` of every message the spec gives: the error table's and the rules'."""
    spec = spec_document()
    found = []
    for code, entry in spec["x-wan-errors"].items():
        for key in ("message", "task_message"):
            if key in entry:
                found.append((f"x-wan-errors.{code}.{key}", str(entry[key])))
        found += [(f"x-wan-errors.{code}.other", str(m)) for m in entry.get("other_messages", ())]
    found += [(f"x-wan-rules.{rule['id']}", str(rule["message"])) for rule in spec["x-wan-rules"]]
    return found


def test_every_message_the_seeds_quote_is_the_seed_text_character_for_character() -> None:
    """Where a seed gives a message, the spec carries it exactly: a seed that quotes it without
    a final period (seed 003's "ref_images_url and obj_or_bg must be the same length", "current
    user api does not support synchronous calls") wins over API_FACTS's period."""
    texts = [text for _, text in seed_texts()]
    quoted = 0
    wrong = []
    for where, message in _spec_messages():
        core = message.rstrip(".")
        endings = {
            text[match.end() : match.end() + 1]
            for text in texts
            for match in re.finditer(re.escape(core), text)
        }
        if not endings:
            continue
        quoted += 1
        if message.endswith(".") and "." not in endings:
            wrong.append(f"{where}: {message!r} (the seeds end it without a period)")
        if not message.endswith(".") and endings == {"."}:
            wrong.append(f"{where}: {message!r} (the seeds end it with a period)")
    assert not wrong, wrong
    assert quoted >= 5
