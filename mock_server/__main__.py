"""``python -m mock_server serve`` — the same as ``wan-mock serve``."""

from .cli import main

main(prog_name="wan-mock")
