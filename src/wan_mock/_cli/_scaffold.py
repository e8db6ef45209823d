"""What every ``wan-mock`` command shares: the exit codes and click's context settings."""

from __future__ import annotations

from typing import Any

__all__ = ["CONTEXT", "EPILOG", "EXIT_CODES"]

#: What ``wan-mock`` exits with, besides 0.
EXIT_CODES = {
    1: "the mock could not be reached at --url, or its control plane refused the call "
    "(403 AccessDenied: see --control-token; 400 InvalidParameter), or serve could not start",
    2: "a usage error: a bad option or argument",
}
EPILOG = "Exit codes: " + "; ".join(f"{code} {text}" for code, text in EXIT_CODES.items()) + "."
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
