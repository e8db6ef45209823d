"""``wan-mock``: the command line. ``wan-mock serve`` runs the mock under Granian (WSGI,
``_serve.py``); the control commands (``_control_commands.COMMANDS``) drive a running mock's
control plane over HTTP and need only the base install."""

from __future__ import annotations

import click

from wan_mock import __version__
from wan_video.cli._terminal import version_option

from ._control_commands import COMMANDS
from ._scaffold import CONTEXT, EPILOG
from ._serve import serve

__all__ = ["main"]


@click.group(context_settings=CONTEXT, epilog=EPILOG)
@version_option("wan-mock", __version__)
def main() -> None:
    """wan-video-kit: a faithful offline mock of the DashScope Wan video API.

    \b
      wan-mock serve --port 8000                 # the mock, its console at http://127.0.0.1:8000/
      wan-mock clock advance 60 · wan-mock finish · wan-mock clock freeze
      wan-mock scenario queue --key sk-test "fail=DataInspectionFailed"
      wan-mock tasks --status RUNNING · wan-mock journal --limit 20 · wan-mock reset
      wan-mock health --url http://10.0.0.5:8000 --control-token TOKEN   # or WAN_MOCK_URL
    """


main.add_command(serve)
for _command in COMMANDS:
    main.add_command(_command)
