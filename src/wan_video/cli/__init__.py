"""``wan``: the Wan video API from a terminal (the console script of ``wan-video-kit``).

::

    wan t2v "A kitten runs in the moonlight" --size 1280*720 --duration 5 -o kitten.mp4
    wan i2v first.png --prompt "…" -o out.mp4
    wan status TASK_ID · wan wait TASK_ID · wan download TASK_ID -o out.mp4
    wan list · wan cancel TASK_ID

Built on :class:`wan_video.WanClient` with click and rich; ``wan --help`` lists every command and
the exit codes.
"""

from ._commands import main, wan
from ._run import EXIT_CODES

__all__ = ["EXIT_CODES", "main", "wan"]
