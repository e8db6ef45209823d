"""``python -m wan_mock serve`` — the same as ``wan-mock serve``."""

from .cli import main

main(prog_name="wan-mock")
