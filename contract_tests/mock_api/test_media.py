"""The mock's result videos are real H.264 MP4s of the task's shape, rendered once per shape.

Every clip is read back with PyAV (a real demuxer and decoder), so these tests fail if the
file would not play, has the wrong size, frame rate or length, or is re-rendered needlessly.
Output sizes are checked against the spec's own ``x-wan-tiers`` lists.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from fractions import Fraction
from pathlib import Path

import av
import pytest

from contract_tests.support.spec_data import spec_document
from wan_mock._domain import _media as media
from wan_mock._domain._media import (
    FPS,
    VideoCache,
    VideoShape,
    etag,
    format_size,
    output_size,
    parse_size,
    render_mp4,
    write_mp4,
)

SMALL = VideoShape(64, 48, 1)
"""A tiny clip for cache tests, where the picture does not matter, only the file."""


class Probe:
    """What a client's probe of a video file reports, plus the decoded luma planes."""

    def __init__(self, path: Path) -> None:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            self.codec = stream.codec_context.name
            self.pix_fmt = stream.codec_context.pix_fmt
            self.width = stream.width
            self.height = stream.height
            self.average_rate = stream.average_rate
            self.declared_frames = stream.frames
            self.duration = (
                Fraction(container.duration, av.time_base) if container.duration else None
            )
            self.lumas: list[bytes] = []
            self.keyframes: list[bool] = []
            for frame in container.decode(stream):
                self.lumas.append(bytes(frame.planes[0]))
                self.keyframes.append(frame.key_frame)


def _probe_bytes(data: bytes, folder: Path) -> Probe:
    path = folder / "probe.mp4"
    path.write_bytes(data)
    return Probe(path)


def _temp_leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


@pytest.fixture(scope="module")
def tiers() -> dict[str, list[str]]:
    """The spec's ``x-wan-tiers``: tier name to its list of ``W*H`` sizes."""
    result: dict[str, list[str]] = spec_document()["x-wan-tiers"]
    return result


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[VideoCache]:
    with VideoCache(tmp_path / "videos") as instance:
        yield instance


# --- the clip itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "seconds"),
    [(832, 480, 5), (480, 832, 3), (624, 624, 4)],
)
def test_rendered_clip_is_h264_of_the_requested_size_rate_and_length(
    tmp_path: Path, width: int, height: int, seconds: int
) -> None:
    probe = _probe_bytes(render_mp4(width, height, seconds), tmp_path)

    assert probe.codec == "h264"
    assert probe.pix_fmt == "yuv420p"
    assert (probe.width, probe.height) == (width, height)
    assert probe.average_rate == FPS
    assert probe.declared_frames == seconds * FPS
    assert len(probe.lumas) == seconds * FPS
    assert probe.duration == seconds


def test_clip_is_not_a_still_picture_and_every_second_opens_with_a_keyframe(
    tmp_path: Path,
) -> None:
    probe = _probe_bytes(render_mp4(832, 480, 2), tmp_path)

    first_second = probe.lumas[:FPS]
    assert len(set(first_second)) == FPS, "every frame of a second shows the bar elsewhere"
    assert [index for index, key in enumerate(probe.keyframes) if key] == [0, FPS]


def test_same_shape_renders_the_same_bytes() -> None:
    assert render_mp4(160, 92, 2) == render_mp4(160, 92, 2)


def test_moov_box_comes_before_media_data_so_players_can_stream(tmp_path: Path) -> None:
    data = render_mp4(320, 240, 1)

    assert data[4:8] == b"ftyp"
    assert 0 < data.index(b"moov") < data.index(b"mdat")


def test_write_mp4_writes_the_file_at_the_given_path(tmp_path: Path) -> None:
    target = tmp_path / "clip.mp4"
    write_mp4(target, 96, 64, 1)

    probe = Probe(target)
    assert (probe.width, probe.height, len(probe.lumas)) == (96, 64, FPS)


@pytest.mark.parametrize(
    ("width", "height", "seconds", "problem"),
    [
        (831, 480, 5, "width 831 is odd"),
        (832, 481, 5, "height 481 is odd"),
        (0, 480, 5, "width 0 is outside"),
        (832, 480, 0, "seconds 0 must be at least 1"),
        (20000, 480, 5, "width 20000 is outside"),
    ],
)
def test_shapes_h264_cannot_hold_are_refused(
    width: int, height: int, seconds: int, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        VideoShape(width, height, seconds)
    with pytest.raises(ValueError, match=problem):
        render_mp4(width, height, seconds)


# --- cache -----------------------------------------------------------------------------


def test_cache_renders_a_shape_once_and_returns_the_same_file(cache: VideoCache) -> None:
    first = cache.get(SMALL)
    mtime = first.stat().st_mtime_ns
    second = cache.get(SMALL)

    assert first == second == cache.path_for(SMALL)
    assert cache.renders == 1
    assert second.stat().st_mtime_ns == mtime
    assert Probe(first).width == SMALL.width


def test_cache_finds_files_another_process_rendered(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    with VideoCache(folder) as one, VideoCache(folder) as other:
        one.get(SMALL)
        assert other.path_for(SMALL).is_file()
        assert other.get(SMALL) == one.path_for(SMALL)
        assert other.renders == 0


def test_cache_keeps_one_file_per_shape(cache: VideoCache) -> None:
    shapes = [SMALL, VideoShape(64, 48, 2), VideoShape(48, 64, 1)]
    paths = [cache.get(shape) for shape in shapes]

    assert len(set(paths)) == 3
    assert cache.renders == 3
    assert [len(Probe(path).lumas) for path in paths] == [FPS, 2 * FPS, FPS]


def test_two_threads_asking_at_once_render_one_valid_file(cache: VideoCache) -> None:
    shape = VideoShape(320, 240, 1)
    start = threading.Barrier(2)
    results: list[Path] = []

    def ask() -> None:
        start.wait()
        results.append(cache.get(shape))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [cache.path_for(shape)] * 2
    assert cache.renders == 1
    assert len(Probe(results[0]).lumas) == FPS
    assert _temp_leftovers(cache.folder) == []


def test_two_caches_sharing_a_folder_at_once_leave_one_complete_file(tmp_path: Path) -> None:
    """Two worker processes are two caches on one folder: renames keep the file whole."""
    folder = tmp_path / "shared"
    shape = VideoShape(320, 240, 1)
    start = threading.Barrier(2)
    results: list[Path] = []

    def ask(instance: VideoCache) -> None:
        start.wait()
        results.append(instance.get(shape))

    with VideoCache(folder) as one, VideoCache(folder) as other:
        threads = [threading.Thread(target=ask, args=(c,)) for c in (one, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert 1 <= one.renders + other.renders <= 2

    assert results == [folder / results[0].name] * 2
    assert results[0].read_bytes() == render_mp4(320, 240, 1)
    assert _temp_leftovers(folder) == []


def _gated_writer(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[threading.Event, threading.Event, list[str]]:
    """Replace the encoder with one that reports its thread and waits for a go signal."""
    started, release = threading.Event(), threading.Event()
    threads: list[str] = []
    real_write = media.write_mp4

    def gated(
        path: str | os.PathLike[str], width: int, height: int, seconds: int, fps: int
    ) -> None:
        threads.append(threading.current_thread().name)
        started.set()
        assert release.wait(timeout=30)
        real_write(path, width, height, seconds, fps)

    monkeypatch.setattr(media, "write_mp4", gated)
    return started, release, threads


def test_ensure_async_renders_on_a_background_thread(
    cache: VideoCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release, threads = _gated_writer(monkeypatch)

    future = cache.ensure_async(SMALL)
    assert started.wait(timeout=30)
    assert not future.done()
    assert not cache.path_for(SMALL).is_file(), "nothing is visible until the file is complete"
    release.set()

    assert future.result(timeout=30) == cache.path_for(SMALL)
    assert len(threads) == 1
    assert threads[0].startswith("wan-media")
    assert cache.path_for(SMALL).is_file()


def test_a_shape_under_way_is_not_rendered_twice(
    cache: VideoCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release, threads = _gated_writer(monkeypatch)

    first = cache.ensure_async(SMALL)
    assert started.wait(timeout=30)
    second = cache.ensure_async(SMALL)
    waiter: Future[Path] = Future()
    getter = threading.Thread(target=lambda: waiter.set_result(cache.get(SMALL)))
    getter.start()
    release.set()
    getter.join(timeout=30)

    assert second is first
    assert waiter.result(timeout=30) == first.result(timeout=30)
    assert len(threads) == 1
    assert cache.renders == 1


def test_ensure_async_of_a_rendered_shape_is_already_done(cache: VideoCache) -> None:
    path = cache.get(SMALL)
    future = cache.ensure_async(SMALL)

    assert future.done()
    assert future.result() == path
    assert cache.renders == 1


def test_a_failed_render_leaves_no_file_and_the_next_try_succeeds(
    cache: VideoCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: str | os.PathLike[str], *args: int) -> None:
        Path(path).write_bytes(b"half a video")
        raise RuntimeError("encoder crashed")

    monkeypatch.setattr(media, "write_mp4", broken)
    with pytest.raises(RuntimeError, match="encoder crashed"):
        cache.get(SMALL)
    assert not cache.path_for(SMALL).is_file()
    assert _temp_leftovers(cache.folder) == []

    monkeypatch.undo()
    assert len(Probe(cache.get(SMALL)).lumas) == FPS


def test_a_closed_cache_refuses_background_work(tmp_path: Path) -> None:
    instance = VideoCache(tmp_path)
    instance.close()

    with pytest.raises(RuntimeError, match="closed"):
        instance.ensure_async(SMALL)


# --- etag ------------------------------------------------------------------------------


def test_etag_is_quoted_and_the_same_for_the_same_shape_anywhere(tmp_path: Path) -> None:
    with VideoCache(tmp_path / "a") as one, VideoCache(tmp_path / "b") as other:
        tag = etag(one.get(SMALL))
        assert tag == etag(other.get(SMALL))
        assert tag == etag(one.get(SMALL))
        assert tag.startswith('"')
        assert tag.endswith('"')
        assert tag != etag(one.get(VideoShape(64, 48, 2)))


# --- sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [("1280*720", (1280, 720)), ("832*1088", (832, 1088)), (" 624 * 624 ", (624, 624))],
)
def test_parse_size_reads_width_star_height(text: str, size: tuple[int, int]) -> None:
    assert parse_size(text) == size
    assert parse_size(format_size(size)) == size


@pytest.mark.parametrize("text", ["1280x720", "1280*", "*720", "0*720", "-1280*720", "", "a*b"])
def test_parse_size_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


def test_explicit_size_is_the_output_size() -> None:
    assert output_size(size="1088*832") == (1088, 832)
    assert output_size(size="480*832", tier_sizes=["1920*1080"], image_size=(900, 900)) == (
        480,
        832,
    )


def test_unknown_image_gets_each_tiers_16_9_size(tiers: dict[str, list[str]]) -> None:
    expected = {"480P": (832, 480), "720P": (1280, 720), "1080P": (1920, 1080)}

    assert {tier: output_size(tier_sizes=sizes) for tier, sizes in tiers.items()} == expected


@pytest.mark.parametrize(
    ("tier", "image", "expected"),
    [
        ("1080P", (1920, 1080), (1920, 1080)),
        ("1080P", (1080, 1920), (1080, 1920)),
        ("720P", (1000, 1000), (960, 960)),
        ("480P", (1000, 1000), (624, 624)),
        ("720P", (1600, 1200), (1088, 832)),
        ("1080P", (1200, 1600), (1248, 1632)),
        ("720P", (1919, 1080), (1280, 720)),
    ],
)
def test_image_near_a_listed_aspect_gets_that_listed_size(
    tiers: dict[str, list[str]],
    tier: str,
    image: tuple[int, int],
    expected: tuple[int, int],
) -> None:
    assert output_size(tier_sizes=tiers[tier], image_size=image) == expected


@pytest.mark.parametrize(
    ("tier", "image", "expected"),
    [
        ("720P", (2000, 1000), (1360, 672)),
        ("720P", (1000, 2000), (672, 1360)),
        ("480P", (2000, 1000), (896, 448)),
    ],
)
def test_other_images_keep_their_aspect_at_about_the_tier_area(
    tiers: dict[str, list[str]],
    tier: str,
    image: tuple[int, int],
    expected: tuple[int, int],
) -> None:
    width, height = output_size(tier_sizes=tiers[tier], image_size=image)
    tier_width, tier_height = parse_size(tiers[tier][0])

    assert (width, height) == expected
    assert width % 16 == 0
    assert height % 16 == 0
    assert abs(width / height - image[0] / image[1]) < 0.05
    assert abs(width * height / (tier_width * tier_height) - 1) < 0.05


#: Every output size the spec's ``x-wan-tiers`` lists, once.
OUTPUT_SIZES = sorted({size for sizes in spec_document()["x-wan-tiers"].values() for size in sizes})


@pytest.mark.parametrize("size", OUTPUT_SIZES)
def test_every_output_size_of_the_spec_renders_a_playable_clip_of_that_size(
    tmp_path: Path, size: str
) -> None:
    width, height = parse_size(size)
    assert VideoShape(width, height, 5).size == size

    probe = _probe_bytes(render_mp4(width, height, 1), tmp_path)

    assert probe.codec == "h264"
    assert probe.pix_fmt == "yuv420p"
    assert (probe.width, probe.height) == (width, height)
    assert len(probe.lumas) == FPS


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda: output_size(), "needs either size or a non-empty tier_sizes"),
        (lambda: output_size(tier_sizes=[]), "needs either size or a non-empty tier_sizes"),
        (lambda: output_size(tier_sizes=["832*480"], image_size=(0, 10)), "zero side"),
    ],
)
def test_output_size_refuses_what_it_cannot_decide(
    call: Callable[[], tuple[int, int]], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        call()
