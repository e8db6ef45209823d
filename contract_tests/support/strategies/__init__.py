"""Hypothesis strategies for submit bodies, derived from ``openapi/wan-video.yaml``.

Nothing here restates a constraint of the API; everything is read from the spec as plain YAML
(``contract_tests.support.spec_data``, not the mock's loader):

- the request schemas, field by field (``$ref``, ``allOf`` and ``anyOf``/``oneOf``-with-null
  wrappers flattened): ``type``, ``enum``, ``const``, ``minimum``/``maximum``,
  ``minItems``/``maxItems``, ``minLength``, ``pattern``, ``required``, ``examples``;
- ``x-wan-models``/``x-wan-tiers``: the paths each model is accepted on and the sizes,
  resolutions, durations and templates it offers;
- ``x-wan-rules``: which cross-field rules exist, their stage, code and message, the lengths that
  must match (``same_length``), the lengths that are cut (``truncate_*``) and the capabilities
  (``capability``);
- the subschemas tagged ``x-rule``, whose *shape* says what an in-schema rule demands. Three
  shapes are recognised: a conditional (``if`` one field is present ``then`` fields are
  required or forbidden, ``else`` required), "at least one of" (``not`` of every field absent)
  and "at most N items equal to X" (``contains``/``maxContains``, or ``not``/``minContains``).
  A shape the walker does not know fails loudly instead of being guessed;
- ``x-wan-errors``, ``x-wan-service`` and the ``BadRequest`` examples: each code's status and
  message, the submit paths, the limits text is cut at, the task timeout.

Public strategies: ``valid_bodies(schema_name=None, model=None)`` draws a ``ValidBody``;
``invalid_bodies(violation=None, schema_name=None)`` draws an ``InvalidBody`` that breaks exactly
one rule (``VIOLATIONS`` lists the kinds) and carries the ``Expected`` outcome read from the spec;
``mock_scenarios()`` draws ``X-Mock-Scenario`` headers for the lifecycle tests.

Every drawn body is checked against the request schema with an independent JSON Schema validator:
valid bodies and task-stage violations must pass it, submit-stage violations must fail it. A
strategy that drifts from the spec therefore fails at once, showing the body.

The modules: ``_request_schemas`` (the spec as data: fields, rules, rule shapes),
``_valid_bodies``, ``_invalid_bodies`` and ``_scenarios``.
"""

from __future__ import annotations

from contract_tests.support.strategies._invalid_bodies import (
    VIOLATIONS,
    Expected,
    InvalidBody,
    invalid_bodies,
    violated_rules,
)
from contract_tests.support.strategies._request_schemas import (
    ABSENT,
    REQUEST_SCHEMAS,
    model_capability,
    request_paths,
)
from contract_tests.support.strategies._scenarios import Scenario, mock_scenarios
from contract_tests.support.strategies._valid_bodies import ValidBody, valid_bodies

__all__ = [
    "ABSENT",
    "REQUEST_SCHEMAS",
    "VIOLATIONS",
    "Expected",
    "InvalidBody",
    "Scenario",
    "ValidBody",
    "invalid_bodies",
    "mock_scenarios",
    "model_capability",
    "request_paths",
    "valid_bodies",
    "violated_rules",
]
