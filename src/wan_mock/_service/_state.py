"""Everything one mock instance owns, built in one place and closed in one place.

``build_state(settings)`` opens the store, picks the clock, loads both specs, and wires the
backend, the video cache, the uploads and the journal; ``MockState.close()`` finishes the
background renders, writes the journal's last rows and closes the store. The Flask app keeps its
state in ``app.extensions`` (``create_app``); the CLI's workers, the tests and the bench scripts
build and close it the same way. Two states never share anything that changes.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._domain._clock import Clock, SharedClock
from .._domain._media import VideoCache, VideoShape
from .._spec._documents import ApiSpec, ControlSpec, load_control_spec, load_spec
from .._spec._errors import ErrorTable
from .._storage._interfaces import Store
from .._storage._journal import Journal
from .._storage._opening import open_store, store_unavailable
from .._storage._uploads import UploadBlobs, UploadStore
from ._backend import Backend
from ._settings import Settings

__all__ = ["EXTENSION", "MockState", "build_state", "mock_state"]

#: Where a Flask app made by ``create_app`` keeps its state (``app.extensions``).
EXTENSION = "wan_mock"


@dataclass
class MockState:
    """One mock instance: its specs, store, clock, backend, videos and journal."""

    settings: Settings
    spec: ApiSpec
    control_spec: ControlSpec
    errors: ErrorTable
    store: Store
    clock: Clock
    backend: Backend
    videos: VideoCache
    journal: Journal
    #: How an answer is delayed (``latency``): ``time.sleep``, or a manual clock's ``advance``
    #: in process, where waiting means moving the mock's time.
    pause: Callable[[float], object] = time.sleep
    _temporary: tempfile.TemporaryDirectory[str] | None = None
    _closed: bool = False

    def close(self) -> None:
        """Finish the queued renders, flush the journal, close the store and remove a private
        data folder (idempotent)."""
        if self._closed:
            return
        self._closed = True
        try:
            self.videos.close()
            try:
                self.journal.close()
            except Exception as error:  # a store server gone: its last rows go with it
                if not store_unavailable(error):
                    raise
        finally:
            self.store.close()
            if self._temporary is not None:
                self._temporary.cleanup()


def mock_state(app: Any) -> MockState:
    """The state of an app made by ``create_app``."""
    state = app.extensions[EXTENSION]
    assert isinstance(state, MockState)
    return state


def _data_dir(settings: Settings) -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    """Where uploads and rendered videos live: the setting, beside the store file, or a
    private temporary folder removed with the state (a Redis store keeps no files: each host
    renders the deterministic videos into its own folder)."""
    if settings.data_dir is not None:
        return settings.data_dir, None
    if settings.store_url is None and settings.store_path is not None:
        return settings.store_path.with_name(settings.store_path.name + ".data"), None
    temporary = tempfile.TemporaryDirectory(prefix="wan-mock-")
    return Path(temporary.name), temporary


def build_state(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    rate_clock: Callable[[], float] | None = None,
    pause: Callable[[float], object] | None = None,
) -> MockState:
    """A new mock instance. Without ``clock`` it runs on a ``SharedClock`` (real time that the
    control plane can advance or freeze, the same for every worker on one store file);
    ``rate_clock`` replaces the real time that rate limits are counted in; ``pause`` replaces
    ``time.sleep`` for delayed answers."""
    settings = settings or Settings()
    spec = load_spec(settings.spec_path)
    control_spec = load_control_spec()
    store = open_store(settings.store, task_ttl_seconds=spec.service.task_ttl_seconds)
    try:
        clock = clock or SharedClock(store)
        data_dir, temporary = _data_dir(settings)
        videos = VideoCache(data_dir / "videos", fps=spec.service.fps)
        uploads = UploadStore(
            data_dir / "uploads",
            store.secret().encode(),
            max_bytes=spec.service.upload_max_bytes,
            ttl_seconds=spec.service.upload_ttl_seconds,
            blobs=store if isinstance(store, UploadBlobs) else None,
        )
        prepare = _prerender(videos) if settings.prerender_videos else None
        journal = Journal(store, settings.journal_size)
        backend = Backend(
            spec,
            store,
            clock,
            settings,
            uploads,
            prepare_video=prepare,
            rate_clock=rate_clock,
            gateway_errors=control_spec.errors,
            count_poll=journal.count_poll,
        )
    except BaseException:
        store.close()
        raise
    return MockState(
        settings=settings,
        spec=spec,
        control_spec=control_spec,
        errors=ErrorTable({**spec.errors, **control_spec.errors}),
        store=store,
        clock=clock,
        backend=backend,
        videos=videos,
        journal=journal,
        pause=pause or time.sleep,
        _temporary=temporary,
    )


def _prerender(videos: VideoCache) -> Callable[[tuple[int, int, int]], None]:
    """Render each new output shape once, in the background, at submit time."""
    started: set[tuple[int, int, int]] = set()

    def prepare(shape: tuple[int, int, int]) -> None:
        if shape not in started:
            started.add(shape)
            videos.ensure_async(VideoShape(*shape))

    return prepare
