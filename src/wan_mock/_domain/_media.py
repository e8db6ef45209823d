"""Real MP4 results for the mock's SUCCEEDED tasks, and the output size rules behind them.

Clients of the real service download ``video_url`` and often probe it (codec, size, frame
count, duration), so the mock serves a genuine H.264/yuv420p MP4 of the task's output size,
30 fps and exact duration instead of a placeholder. Encoding must never slow down submit or
poll, so:

* the picture is synthetic and cheap (a solid background with a bar sweeping across it once a
  second, so the video is not one static frame);
* only one second is encoded: it starts with an IDR frame, and its packets are muxed again
  for every further second with shifted timestamps. Each repetition opens with an IDR frame,
  so the stream stays valid, and a 10 s 1080p clip costs what one second costs to encode;
* clips are rendered once per shape (width, height, seconds) into a folder that several
  worker processes may share (:class:`VideoCache`), and can be pre-rendered on a background
  thread when a task is submitted.

Output is byte-for-byte deterministic for the same inputs (fixed encoder settings and thread
count, no timestamps in the container), so ETags stay stable across renders and workers.

This module is plain Python (no Flask): the HTTP layer asks it for a path and an ETag.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from av.stream import Stream

__all__ = [
    "DEFAULT_ASPECT",
    "FPS",
    "MAX_SIDE",
    "RENDER_VERSION",
    "VideoCache",
    "VideoShape",
    "etag",
    "format_size",
    "load_codecs",
    "output_size",
    "parse_size",
    "render_mp4",
    "write_mp4",
]

_log = logging.getLogger(__name__)

FPS = 30
"""Frame rate of every Wan output video (``x-wan-service.output_video.fps``)."""

DEFAULT_ASPECT = Fraction(16, 9)
"""Aspect ratio assumed for an image-to-video task whose input image size is unknown."""

RENDER_VERSION = 1
"""Part of every cached file name: bump it when the picture or encoder settings change, so
caches left on disk by an older version are not served as if they were current."""

MAX_SIDE = 8192
"""Largest width or height :func:`write_mp4` accepts; far above any documented Wan size, it
only guards against a typo turning into an enormous encode."""

_SNAP_TOLERANCE = math.log(1.03)
"""How far (as a ratio) an image's aspect may be from a listed size's to get that size."""

_SIZE_RE = re.compile(r"\A\s*(\d{1,5})\s*\*\s*(\d{1,5})\s*\Z")

# Video-range YUV: a dark teal background and a near-white bar.
_BG_Y, _BG_U, _BG_V = 0x40, 0x90, 0x60
_BAR_Y = 0xEB

# x264 settings: fastest preset, lowest quality (the picture is trivial anyway), one IDR per
# second so a second's packets can be repeated, and one thread: x264's bitstream depends on
# its thread count, so a fixed count gives the same bytes on every machine, and one thread
# encoded as fast as two here while leaving the other core to requests.
_X264_OPTIONS = {
    "preset": "ultrafast",
    "crf": "51",
    "tune": "zerolatency",
}


def _x264_params(fps: int) -> str:
    return f"keyint={fps}:min-keyint={fps}:scenecut=0:bframes=0:threads=1"


@dataclass(frozen=True, order=True)
class VideoShape:
    """What makes two output videos identical: width, height (pixels) and whole seconds.

    The cache keys on it, so two tasks of the same shape share one file.
    """

    width: int
    height: int
    seconds: int

    def __post_init__(self) -> None:
        _check_dimensions(self.width, self.height, self.seconds)

    @property
    def size(self) -> str:
        """The shape's ``W*H`` string, as the API reports sizes."""
        return format_size((self.width, self.height))


def _check_dimensions(width: int, height: int, seconds: int) -> None:
    """Reject what H.264 yuv420p cannot hold (odd sides) and nonsense values early."""
    for name, side in (("width", width), ("height", height)):
        if isinstance(side, bool) or not isinstance(side, int):
            raise TypeError(f"{name} must be an int, got {type(side).__name__}")
        if not 2 <= side <= MAX_SIDE:
            raise ValueError(f"{name} {side} is outside [2, {MAX_SIDE}]")
        if side % 2:
            raise ValueError(f"{name} {side} is odd; H.264 yuv420p needs even sides")
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise TypeError(f"seconds must be an int, got {type(seconds).__name__}")
    if seconds < 1:
        raise ValueError(f"seconds {seconds} must be at least 1")


def parse_size(text: str) -> tuple[int, int]:
    """Parse an API size string ``"1280*720"`` into ``(1280, 720)``.

    Raises ``ValueError`` for anything else (other separators, zero or negative sides), so a
    malformed size never reaches the encoder.
    """
    match = _SIZE_RE.match(text)
    if match is None:
        raise ValueError(f"size {text!r} is not of the form WIDTH*HEIGHT")
    width, height = int(match.group(1)), int(match.group(2))
    if width <= 0 or height <= 0:
        raise ValueError(f"size {text!r} has a zero side")
    return width, height


def format_size(size: tuple[int, int]) -> str:
    """The inverse of :func:`parse_size`: ``(1280, 720)`` becomes ``"1280*720"``."""
    return f"{size[0]}*{size[1]}"


def output_size(
    *,
    size: str | None = None,
    tier_sizes: Sequence[str] | None = None,
    image_size: tuple[int, int] | None = None,
) -> tuple[int, int]:
    """The width and height of a task's output video.

    The rule, simple on purpose:

    * **An explicit ``size``** (text-to-video, Wan-VACE ``parameters.size``) is the output
      size as is.
    * **A resolution tier** (image-to-video and first/last frame, ``parameters.resolution``):
      pass ``tier_sizes``, the tier's list from ``x-wan-tiers`` (e.g. ``["1280*720",
      "720*1280", "960*960", "1088*832", "832*1088"]``). The output keeps the input image's
      aspect ratio (16:9, :data:`DEFAULT_ASPECT`, when ``image_size`` is unknown: http(s)
      and ``oss://`` inputs are never fetched):

      - if a listed size has nearly that aspect ratio (within 3%: the docs call 1088*832
        "4:3"), the output is that listed size — so a 16:9 photo gets exactly 1920*1080 at
        1080P, a 4:3 one 1088*832 at 720P, and an unknown image the tier's 16:9 size;
      - otherwise the output has the image's aspect ratio at about the tier's pixel area (the
        area of its first listed size: 832*480, 1280*720, 1920*1080), each side rounded to a
        multiple of 16 like all of Wan's own sizes but one (which also keeps both sides even,
        as H.264 yuv420p requires): a 2:1 image at 720P gives 1360*672.

    Raises ``ValueError`` when neither ``size`` nor a non-empty ``tier_sizes`` is given: the
    caller always knows one of them (the model's default from ``x-wan-models`` at worst).
    """
    if size is not None:
        return parse_size(size)
    if not tier_sizes:
        raise ValueError("output_size needs either size or a non-empty tier_sizes")
    listed = [parse_size(text) for text in tier_sizes]
    if image_size is None:
        aspect = float(DEFAULT_ASPECT)
    else:
        img_w, img_h = image_size
        if img_w <= 0 or img_h <= 0:
            raise ValueError(f"image size {image_size!r} has a zero side")
        aspect = img_w / img_h

    def distance(wh: tuple[int, int]) -> float:
        return abs(math.log(wh[0] / wh[1] / aspect))

    closest = min(listed, key=distance)
    if image_size is None or distance(closest) <= _SNAP_TOLERANCE:
        return closest
    area = listed[0][0] * listed[0][1]
    return _round16(math.sqrt(area * aspect)), _round16(math.sqrt(area / aspect))


def _round16(value: float) -> int:
    return max(16, round(value / 16) * 16)


def _luma_rows(width: int, line_size: int, fps: int) -> list[bytes]:
    """One luma row per frame of the encoded second (every row of a frame is the same).

    The bar's left edge moves from the left border to the right border over the second, so
    no two frames of a second are alike. Rows are padded to the plane's ``line_size`` with
    the background value; the padding is never shown.
    """
    bar = max(2, (width // 16) & ~1)
    travel = width - bar
    steps = max(fps - 1, 1)
    rows = []
    for index in range(fps):
        left = index * travel // steps
        right = line_size - left - bar
        rows.append(bytes([_BG_Y]) * left + bytes([_BAR_Y]) * bar + bytes([_BG_Y]) * right)
    return rows


def load_codecs() -> None:
    """Load PyAV (FFmpeg, libx264). ``write_mp4`` loads it on the first render, so that a
    process that never renders (every video already on disk, or none asked for) never maps
    the codecs into memory; a server that will render loads it before its workers fork."""
    import av  # noqa: F401


def write_mp4(
    path: str | os.PathLike[str], width: int, height: int, seconds: int, fps: int = FPS
) -> None:
    """Write a ``width`` x ``height`` H.264/yuv420p MP4 of exactly ``seconds * fps`` frames.

    The file has its ``moov`` box up front (``+faststart``), so players can start while
    downloading. Writing straight to a path is required for that (the muxer re-reads what it
    wrote); :class:`VideoCache` writes to a temporary name and renames.
    """
    import av  # loaded here on the first render, unless load_codecs did it before

    _check_dimensions(width, height, seconds)
    if isinstance(fps, bool) or not isinstance(fps, int) or fps < 1:
        raise ValueError(f"fps {fps!r} must be a positive int")
    with av.open(
        os.fspath(path), mode="w", format="mp4", options={"movflags": "+faststart"}
    ) as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        stream.options = {**_X264_OPTIONS, "x264-params": _x264_params(fps)}

        # libav pads plane rows (e.g. 312-pixel chroma rows to 320 bytes), so whole-plane
        # buffers are built at the padded size; chroma padding takes the background value.
        layout = av.VideoFrame(width, height, "yuv420p").planes
        luma_rows = _luma_rows(width, layout[0].line_size, fps)
        u_plane = bytes([_BG_U]) * layout[1].buffer_size
        v_plane = bytes([_BG_V]) * layout[2].buffer_size

        packets: list[av.Packet[Stream]] = []
        for index, row in enumerate(luma_rows):
            frame = av.VideoFrame(width, height, "yuv420p")
            y, u, v = frame.planes
            y.update(row * height)
            u.update(u_plane)
            v.update(v_plane)
            frame.pts = index
            packets.extend(stream.encode(frame))
        packets.extend(stream.encode(None))
        if len(packets) != fps or not packets[0].is_keyframe:
            raise RuntimeError(
                f"expected {fps} packets starting with a keyframe, got {len(packets)}"
            )

        time_base = packets[0].time_base
        one_second = [(bytes(p), p.pts, p.dts, p.is_keyframe) for p in packets]
        for second in range(seconds):
            shift = second * fps
            for payload, pts, dts, keyframe in one_second:
                if pts is None or dts is None:
                    raise RuntimeError("encoder produced a packet without timestamps")
                packet = av.Packet(payload)
                packet.pts = pts + shift
                packet.dts = dts + shift
                packet.duration = 1
                packet.is_keyframe = keyframe
                packet.time_base = time_base
                packet.stream = stream
                container.mux(packet)


def render_mp4(width: int, height: int, seconds: int, fps: int = FPS) -> bytes:
    """The bytes of :func:`write_mp4`'s file, for callers that want the video in memory."""
    with tempfile.TemporaryDirectory(prefix="wan-media-") as folder:
        path = Path(folder) / "video.mp4"
        write_mp4(path, width, height, seconds, fps)
        return path.read_bytes()


def etag(path: str | os.PathLike[str]) -> str:
    """A strong HTTP ETag (quoted) for a rendered file: its size and a SHA-256 of its bytes.

    Renders are deterministic, so every worker and every re-render yields the same ETag for
    the same shape (:meth:`VideoCache.etag` remembers it per file).
    """
    data = Path(path).read_bytes()
    return f'"{len(data):x}-{hashlib.sha256(data).hexdigest()[:32]}"'


class VideoCache:
    """Rendered videos on disk, one file per :class:`VideoShape`, shared by worker processes.

    Files are written to a temporary name in the same folder and moved into place with
    ``os.replace``, so a reader (another thread, another process, the HTTP layer serving the
    file) sees either no file or a complete one. Within a process a shape is rendered at most
    once at a time; two processes may both render a missing shape, which wastes a fraction of
    a second but is harmless — the bytes are identical and the last rename wins.

    :meth:`ensure_async` queues a render on one background thread (one, because the machine
    may have only two cores and requests must keep flowing), so the submit path can start
    the work and the download path finds the file ready.
    """

    def __init__(self, folder: str | os.PathLike[str], fps: int = FPS) -> None:
        self.folder = Path(folder)
        self.fps = fps
        self.renders = 0
        """How many files this instance has encoded (tests use it to prove cache hits)."""
        self._lock = threading.Lock()
        self._inflight: dict[VideoShape, Future[Path]] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False
        #: (path, size, mtime) -> ETag: serving a file again does not re-read it.
        self._etags: dict[tuple[str, int, int], str] = {}

    def etag(self, path: Path) -> str:
        """:func:`etag` of one of this cache's files, remembered while the file is unchanged."""
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            known = self._etags.get(key)
        if known is None:
            known = etag(path)
            with self._lock:
                self._etags = {k: v for k, v in self._etags.items() if k[0] != key[0]}
                self._etags[key] = known
        return known

    def path_for(self, shape: VideoShape) -> Path:
        """Where the shape's file lives (whether or not it has been rendered yet)."""
        return self.folder / (
            f"wan-{shape.width}x{shape.height}-{shape.seconds}s-{self.fps}fps-v{RENDER_VERSION}.mp4"
        )

    def get(self, shape: VideoShape) -> Path:
        """The shape's file, rendering it in the calling thread if nobody has yet.

        If a render of the shape is already under way in this process (e.g. queued by
        :meth:`ensure_async`), waits for it instead of encoding twice.
        """
        future, owner = self._claim(shape)
        if owner:
            self._fulfil(shape, future)
        return future.result()

    def ensure_async(self, shape: VideoShape) -> Future[Path]:
        """Start rendering the shape on the background thread unless it exists or is under
        way; the returned future resolves to the file's path."""
        future, owner = self._claim(shape)
        if owner:
            with self._lock:
                if self._closed:
                    self._inflight.pop(shape, None)
                    error = RuntimeError("VideoCache is closed")
                    future.set_exception(error)  # anyone who got this future meanwhile
                    raise error
                if self._executor is None:
                    self._executor = ThreadPoolExecutor(
                        max_workers=1, thread_name_prefix="wan-media"
                    )
                executor = self._executor
            executor.submit(self._fulfil, shape, future)
        return future

    def close(self) -> None:
        """Stop the background thread after the renders already queued."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    def __enter__(self) -> VideoCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _claim(self, shape: VideoShape) -> tuple[Future[Path], bool]:
        """The future for the shape, and whether the caller must fulfil it.

        A shape already on disk gets a completed future; one being rendered gets that
        render's future; otherwise the caller becomes the renderer.
        """
        path = self.path_for(shape)
        with self._lock:
            running = self._inflight.get(shape)
            if running is not None:
                return running, False
            future: Future[Path] = Future()
            if path.is_file():
                future.set_result(path)
                return future, False
            self._inflight[shape] = future
            return future, True

    def _fulfil(self, shape: VideoShape, future: Future[Path]) -> None:
        try:
            path = self._render(shape)
        except Exception as exc:
            _log.exception("rendering %s failed", shape)
            future.set_exception(exc)
        else:
            future.set_result(path)
        finally:
            with self._lock:
                self._inflight.pop(shape, None)

    def _render(self, shape: VideoShape) -> Path:
        target = self.path_for(shape)
        self.folder.mkdir(parents=True, exist_ok=True)
        if target.is_file():  # another process finished it meanwhile
            return target
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=self.folder)
        os.close(fd)
        try:
            write_mp4(temp_name, shape.width, shape.height, shape.seconds, self.fps)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        with self._lock:
            self.renders += 1
        return target
