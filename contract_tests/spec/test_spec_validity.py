"""The spec is a valid OpenAPI 3.1 document, and Redocly's recommended rules (all of them, none
switched off, at the pinned CLI version) report no error in it (issue 2, parts 1-2).
"""

from __future__ import annotations

import copy
import json

import pytest
from openapi_spec_validator import validate

from contract_tests.support.paths import ROOT, SPEC_PATH
from contract_tests.support.redocly import REDOCLY_DIR, redocly_lint
from contract_tests.support.spec_data import load_document, spec_document

# ============================================================================ 1-2. valid, linted


def test_spec_validates_as_openapi_3_1() -> None:
    spec = copy.deepcopy(spec_document())
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_redocly_config_is_the_recommended_ruleset_with_nothing_switched_off() -> None:
    config = load_document(ROOT / "redocly.yaml")
    assert config.get("extends") == ["recommended"]
    assert "off" not in (config.get("rules") or {}).values()


@pytest.mark.slow
def test_redocly_recommended_rules_report_no_errors() -> None:
    report = redocly_lint(SPEC_PATH)
    pinned = json.loads((REDOCLY_DIR / "package.json").read_text())["devDependencies"][
        "@redocly/cli"
    ]
    assert report["version"] == pinned
    problems = "\n".join(
        f"  [{p['severity']}] {p['ruleId']} at {p['location'][0]['pointer']}: {p['message']}"
        for p in report["problems"]
    )
    print(f"redocly lint: {report['totals']}\n{problems}")
    assert report["totals"]["errors"] == 0, f"redocly lint found errors:\n{problems}"
