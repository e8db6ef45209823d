"""What every ``wan-mock`` command shares: its exit codes, and the command-line scaffolding it
takes from ``wan_video.cli._terminal`` (click's context settings), which ``wan`` uses too."""

from __future__ import annotations

from wan_video.cli._terminal import CONTEXT, epilog

__all__ = ["CONTEXT", "EPILOG", "EXIT_CODES"]

#: What ``wan-mock`` exits with, besides 0.
EXIT_CODES = {
    1: "the mock could not be reached at --url, or its control plane refused the call "
    "(403 AccessDenied: see --control-token; 400 InvalidParameter), or serve could not start",
    2: "a usage error: a bad option or argument",
}
EPILOG = epilog(EXIT_CODES)
