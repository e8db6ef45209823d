"""The ``wan`` commands (click), each a thin call of :class:`~wan_video.WanClient`.

Every command takes the connection options and ``--json`` (``_run.api_options``), which give it
its :class:`~wan_video.cli._run.Run`; the submit commands and ``wait`` also take the waiting
options. What the output looks like is ``_display``'s.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx

from .. import __version__
from .._tasks import Task
from .._variants import DEFAULT_MODELS
from .._waiting import video_of
from ..errors import WanError
from ._run import EXIT_CODES, Run, api_options
from ._terminal import CONTEXT, epilog, stacked, version_option

__all__ = ["main", "wan"]

C = TypeVar("C", bound=Callable[..., Any])


# ---------------------------------------------------------------------- options
_wait_options = stacked(
    click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=True, writable=True, path_type=Path),
        help="Download the video here (a file, or a folder for TASK_ID.mp4).",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0),
        help="Give up waiting after this many seconds (exit code 4). Default: no limit.",
    ),
    click.option(
        "--poll-interval",
        type=click.FloatRange(min=0),
        metavar="SECONDS",
        help="Poll at this fixed interval. Default: the official SDK's schedule "
        "(1, 1, 2, 2, 2, 4… up to 5 s).",
    ),
)


def _variant_options(model: str | None) -> Callable[[C], C]:
    """The model and the parameters every variant has (``VariantOptions``)."""
    default = f"Default: {model}." if model else "Default: the region's wanx/wan2.1-vace-plus."
    return stacked(
        click.option(
            "--model", help=f"The model (one the spec does not know yet is sent). {default}"
        ),
        click.option("--duration", type=int, help="Seconds of video (the model's default)."),
        click.option("--seed", type=click.IntRange(0, 2_147_483_647), help="The random seed."),
        click.option(
            "--prompt-extend/--no-prompt-extend",
            default=None,
            help="Let a language model rewrite the prompt (the service's default: on).",
        ),
        click.option(
            "--watermark/--no-watermark", default=None, help='Add an "AI-generated" mark.'
        ),
        click.option(
            "--wait/--no-wait",
            default=True,
            help="Wait for the video (the default), or print the task id and return.",
        ),
    )


_WAITING = ("wait", "output", "timeout", "poll_interval")


def _submit(method: str, model: str | None = None) -> Callable[[Callable[[], None]], Any]:
    """A submit command for the layer method ``method``. The decorated function gives the
    command its name and help; the command's parameters are named as the method's, and the
    ones left out (``None``) leave the field to the service's default. The task is submitted,
    then (by default) waited for and downloaded."""

    def decorate(described: Callable[[], None]) -> Any:
        def command(run: Run, **params: Any) -> None:
            waiting = {name: params.pop(name) for name in _WAITING}
            if not waiting.pop("wait"):
                if waiting["output"] is not None:
                    raise click.UsageError("-o/--output downloads the video: it needs the wait")
                run.display.submitted(_call(run, method, params))
                return
            run.wait_and_save(_call(run, method, params).task_id, **waiting)

        functools.update_wrapper(command, described)
        return stacked(_variant_options(model), _wait_options)(api_options(command))

    return decorate


def _call(run: Run, method: str, params: dict[str, Any]) -> Task:
    given = {name: value for name, value in params.items() if value is not None}
    task: Task = getattr(run.client, method)(**given)
    return task


def _image(context: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An image argument: a URL (``http(s)://``, ``oss://``, ``data:``) or a file that exists."""
    url = value is None or "://" in value or value.startswith("data:")
    if not url and not Path(str(value)).is_file():
        raise click.BadParameter(f"no such file: {value} (or give a URL)", context, param)
    return value


def _csv(context: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    return None if value is None else [part.strip() for part in value.split(",") if part.strip()]


def _urls(context: click.Context, param: click.Parameter, value: Sequence[str]) -> list[str] | None:
    return list(value) or None


# The options several variants share; each is named as the layer method's parameter.
_SIZE = click.option("--size", metavar="W*H", help="The output size, e.g. 1280*720.")
_NEGATIVE_PROMPT = click.option("--negative-prompt", help="What the video should not show.")
_AUDIO = stacked(
    click.option("--audio-url", metavar="URL", help="An audio track to follow (wan2.5)."),
    click.option("--audio/--no-audio", default=None, help="Generate an audio track (wan2.5)."),
)
_FRAMES = stacked(
    click.option(
        "--resolution", type=click.Choice(["480P", "720P", "1080P"], case_sensitive=False)
    ),
    _NEGATIVE_PROMPT,
    click.option("--template", help="A video effect template (the prompt is then ignored)."),
)
_PROMPT = click.option("--prompt", required=True, help="What the video shows.")
_VIDEO = click.argument("video_url", metavar="VIDEO_URL")
_REF_IMAGES = click.option(
    "--ref-image",
    "ref_images_url",
    multiple=True,
    callback=_urls,
    metavar="URL",
    help="A reference image (repeat).",
)
_CONTROL = click.Choice(["posebodyface", "posebody", "depth", "scribble"])


# ---------------------------------------------------------------------- the commands
@click.group(context_settings=CONTEXT, epilog=epilog(EXIT_CODES))
@version_option("wan", __version__)
def wan() -> None:
    """Generate videos with the Wan API (Alibaba Cloud Model Studio), or any mock of it.

    \b
      wan t2v "A kitten runs in the moonlight" --size 1280*720 -o kitten.mp4
      wan t2v "A kitten" --no-wait          # prints the task id
      wan status TASK_ID · wan wait TASK_ID -o out.mp4 · wan list · wan cancel TASK_ID
      wan t2v "A kitten" --base-url http://127.0.0.1:8000   # a `wan-mock serve` (or WAN_BASE_URL)
    """


@wan.command("t2v")
@click.argument("prompt")
@_SIZE
@_NEGATIVE_PROMPT
@_AUDIO
@_submit("text_to_video", DEFAULT_MODELS["text_to_video"])
def text_to_video() -> None:
    """Text to video.

    \b
      wan t2v "A kitten runs in the moonlight" --size 1280*720 --duration 5 -o kitten.mp4
    """


@wan.command("i2v")
@click.argument("img_url", metavar="FILE|URL", callback=_image)
@click.option("--prompt", help="What happens in the video.")
@_FRAMES
@_AUDIO
@_submit("image_to_video", DEFAULT_MODELS["image_to_video"])
def image_to_video() -> None:
    """Image to video, from a first frame (a local file, sent inline, or a URL).

    \b
      wan i2v first.png --prompt "The cat turns its head" --resolution 720P -o out.mp4
    """


@wan.command("kf2v")
@click.argument("first_frame_url", metavar="FIRST", callback=_image)
@click.argument("last_frame_url", metavar="[LAST]", required=False, callback=_image)
@click.option("--prompt", help="What happens between the frames.")
@_FRAMES
@_submit("first_last_frame", DEFAULT_MODELS["first_last_frame"])
def first_last_frame() -> None:
    """First and last frame to video (files or URLs; the last frame may be left out).

    \b
      wan kf2v first.png last.png --prompt "The flower opens" -o out.mp4
    """


@wan.group()
def vace() -> None:
    """The five Wan-VACE functions (wan2.1-vace-plus); their media are URLs.

    \b
      wan vace image-reference https://…/ref1.png https://…/ref2.png --obj-or-bg obj,bg \\
          --prompt "A girl walks in the park" -o out.mp4
    """


@vace.command("image-reference")
@click.argument("ref_images_url", nargs=-1, required=True, metavar="REF_URL...")
@_PROMPT
@click.option(
    "--obj-or-bg", callback=_csv, metavar="obj,bg,…", help="Each reference's role, in order."
)
@_SIZE
@_submit("image_reference")
def image_reference() -> None:
    """A video from 1 to 3 reference images (objects or a background).

    \b
      wan vace image-reference https://…/girl.png https://…/park.png --obj-or-bg obj,bg \\
          --prompt "A girl walks in the park" -o out.mp4
    """


@vace.command("video-repainting")
@_VIDEO
@_PROMPT
@click.option("--control-condition", type=_CONTROL, required=True, help="What to keep.")
@_REF_IMAGES
@click.option("--strength", type=click.FloatRange(0, 1), help="How closely to follow the input.")
@_submit("video_repainting")
def video_repainting() -> None:
    """A new video keeping the input's pose, depth or lines.

    \b
      wan vace video-repainting https://…/dance.mp4 --control-condition depth \\
          --prompt "A robot dances" -o out.mp4
    """


@vace.command("video-edit")
@_VIDEO
@_PROMPT
@click.option(
    "--mask-image", "mask_image_url", metavar="URL", help="The mask, as an image (or --mask-video)."
)
@click.option("--mask-frame-id", type=int, help="The frame the mask image marks.")
@click.option("--mask-video", "mask_video_url", metavar="URL", help="The mask, as a video.")
@_REF_IMAGES
@click.option("--control-condition", type=_CONTROL, help="What to keep of the input.")
@click.option("--mask-type", type=click.Choice(["tracking", "fixed"]))
@click.option("--expand-ratio", type=click.FloatRange(0, 1))
@click.option("--expand-mode", type=click.Choice(["hull", "bbox", "original"]))
@_SIZE
@_submit("video_edit")
def video_edit() -> None:
    """Change the area of a video that a mask marks.

    \b
      wan vace video-edit https://…/street.mp4 --mask-image https://…/mask.png \\
          --prompt "A red car" -o out.mp4
    """


@vace.command("video-extension")
@_PROMPT
@click.option("--first-frame", "first_frame_url", metavar="URL", help="The first frame.")
@click.option("--last-frame", "last_frame_url", metavar="URL", help="The last frame to reach.")
@click.option("--first-clip", "first_clip_url", metavar="URL", help="A clip to continue.")
@click.option("--last-clip", "last_clip_url", metavar="URL", help="A clip to lead into.")
@click.option("--video", "video_url", metavar="URL", help="A video whose motion to follow.")
@click.option("--control-condition", type=_CONTROL, help="What to follow of --video.")
@_submit("video_extension")
def video_extension() -> None:
    """A video continuing from frames or clips (at least one).

    \b
      wan vace video-extension --first-clip https://…/start.mp4 --prompt "The dog runs on" \\
          -o out.mp4
    """


_SCALE = click.FloatRange(1.0, 2.0)


@vace.command("video-outpainting")
@_VIDEO
@_PROMPT
@click.option("--top-scale", type=_SCALE)
@click.option("--bottom-scale", type=_SCALE)
@click.option("--left-scale", type=_SCALE)
@click.option("--right-scale", type=_SCALE)
@_submit("video_outpainting")
def video_outpainting() -> None:
    """Widen a video's frame (each scale in [1.0, 2.0]).

    \b
      wan vace video-outpainting https://…/clip.mp4 --left-scale 1.5 --right-scale 1.5 \\
          --prompt "A wide beach" -o out.mp4
    """


@wan.command()
@click.argument("task_id")
@api_options
def status(run: Run, task_id: str) -> None:
    """A task as it is now.

    \b
      wan status 0385dc79-5ff8-4d82-bcb6-xxxxxx
    """
    run.display.task(run.client.get(task_id))


@wan.command()
@click.argument("task_id")
@_wait_options
@api_options
def wait(
    run: Run,
    task_id: str,
    output: Path | None,
    timeout: float | None,
    poll_interval: float | None,
) -> None:
    """Wait for a task, then (with -o) download its video.

    \b
      wan wait 0385dc79-5ff8-4d82-bcb6-xxxxxx --timeout 600 -o out.mp4
    """
    run.wait_and_save(task_id, output=output, timeout=timeout, poll_interval=poll_interval)


@wan.command()
@click.argument("task", metavar="TASK_ID|URL")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=True, writable=True, path_type=Path),
    default=Path("."),
    show_default="TASK_ID.mp4 here",
    help="Where to save it (a file, or a folder).",
)
@api_options
def download(run: Run, task: str, output: Path) -> None:
    """Download a succeeded task's video (or a result URL), resuming a broken transfer.

    \b
      wan download 0385dc79-5ff8-4d82-bcb6-xxxxxx -o out.mp4
    """
    if task.startswith(("http://", "https://")):
        name = httpx.URL(task).path.rsplit("/", 1)[-1] or "video.mp4"
        run.display.saved(run.download(task, output, name))
        return
    done = video_of(run.client.get(task))  # the task's error when it ended without one
    if done is None:
        raise WanError(f"task {task} has no video yet: `wan wait {task} -o FILE` waits for it")
    run.display.task(done, run.download(done.video_url, output, f"{task}.mp4"))


@wan.command("list")
@click.option("--status", "status_", metavar="STATUS", help="PENDING, RUNNING, SUCCEEDED, …")
@click.option("--model", help="Only this model's tasks.")
@click.option("--start", metavar="YYYYMMDDhhmmss", help="From (default: 24 hours ago).")
@click.option("--end", metavar="YYYYMMDDhhmmss", help="To (at most 24 hours after --start).")
@click.option("--page", type=click.IntRange(min=1), help="The page, from 1.")
@click.option("--page-size", type=click.IntRange(min=1), help="Tasks a page (10 by default).")
@api_options
def list_tasks(
    run: Run,
    status_: str | None,
    model: str | None,
    start: str | None,
    end: str | None,
    page: int | None,
    page_size: int | None,
) -> None:
    """This key's tasks of the last 24 hours, newest first.

    \b
      wan list --status RUNNING --page-size 20
    """
    run.display.page(
        run.client.list_tasks(
            status=status_,
            model_name=model,
            start_time=start,
            end_time=end,
            page_no=page,
            page_size=page_size,
        )
    )


@wan.command()
@click.argument("task_id")
@api_options
def cancel(run: Run, task_id: str) -> None:
    """Cancel a task that is still PENDING.

    \b
      wan cancel 0385dc79-5ff8-4d82-bcb6-xxxxxx
    """
    run.client.cancel(task_id)
    run.display.canceled(task_id)


def main() -> None:
    """The ``wan`` console script."""
    wan(prog_name="wan")
