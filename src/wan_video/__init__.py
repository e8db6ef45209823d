"""wan_video: a small typed layer over the generated client (``wan_video_client``).

::

    from wan_video import WanClient, errors

    client = WanClient()  # api_key= or DASHSCOPE_API_KEY; region="intl" | "cn" | base_url=…
    task = client.text_to_video("A kitten runs in the moonlight", size="1280*720", duration=5)
    done = client.wait(task.task_id, timeout=600, on_update=print)
    client.download(done.video_url, "kitten.mp4")

One method per request variant (``text_to_video``, ``image_to_video``, ``first_last_frame`` and
the Wan-VACE functions ``image_reference``, ``video_repainting``, ``video_edit``,
``video_extension``, ``video_outpainting``), ``submit`` for a generated request model, ``get``,
``cancel``, ``list_tasks``, ``wait`` (the official SDK's poll schedule) and ``download``
(resumed with ``Range``). Errors are the exceptions of :mod:`wan_video.errors`, one class per
error family of the spec's ``x-wan-errors``. ``AsyncWanClient`` has the same methods, awaited.
"""

# ``__version__`` is the installed ``wan-video-kit`` distribution's (``0+unknown`` in a source
# tree never installed), which ships this package with ``wan_video_client`` and ``wan_mock``: the
# generated client reads it from the metadata and this package takes it from there. It is not
# in ``__all__``, so a star import keeps the importer's own.
from wan_video_client import __version__ as __version__

from ._client import AsyncWanClient, ClientOptions, TaskFilters, WanClient
from ._policy import PollSchedule, RetryPolicy
from ._requests import UnknownModelWarning
from ._tasks import SucceededTask, Task, TaskPage, TaskSummary
from ._variants import VariantOptions
from ._waiting import WaitOptions

__all__ = [
    "AsyncWanClient",
    "ClientOptions",
    "PollSchedule",
    "RetryPolicy",
    "SucceededTask",
    "Task",
    "TaskFilters",
    "TaskPage",
    "TaskSummary",
    "UnknownModelWarning",
    "VariantOptions",
    "WaitOptions",
    "WanClient",
]
