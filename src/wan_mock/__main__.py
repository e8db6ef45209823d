"""``python -m wan_mock serve`` — the same as ``wan-mock serve``."""

from ._cli._main import main

main(prog_name="wan-mock")
