"""The shared stores — a SQLite file and a Valkey server (``shared_store`` runs each test on
both): tasks survive a restart of the mock, and several apps on one store (as server workers
and hosts are) share their tasks, cancels and signed result URLs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask

from contract_tests.support.mock import (
    PENDING_SECONDS,
    Api,
    body_for,
)
from contract_tests.support.valkey import SharedStore

if TYPE_CHECKING:
    from wan_mock._domain._clock import ManualClock

AppFactory = Callable[..., Flask]


def _shared_api(make_app: AppFactory, clock: ManualClock, store: SharedStore) -> Api:
    return Api(make_app(store.settings()).test_client(), clock)


def _close(api: Api) -> None:
    """Drop an app as a stopped process would: its store connection goes away."""
    from wan_mock._http._app import close_app

    close_app(api.client.application)


def test_tasks_survive_a_restart(
    make_app: AppFactory, clock: ManualClock, shared_store: SharedStore
) -> None:
    db = shared_store
    before = _shared_api(make_app, clock, db)
    done = before.submit_ok(body_for("t2v"))
    before.finish()
    running = before.submit_ok(body_for("i2v"))
    canceled = before.submit_ok(body_for("video_edit"))
    assert before.cancel(canceled).status_code == 200
    before.clock.advance(PENDING_SECONDS + 0.1)
    seen_before = {task_id: before.query(task_id)["output"] for task_id in (done, running)}
    _close(before)

    after = _shared_api(make_app, clock, db)

    assert after.status(canceled) == "CANCELED"
    for task_id, output in seen_before.items():
        assert after.query(task_id)["output"] == output
    assert after.list_ok()["total"] == 3
    after.finish()
    assert after.status(running) == "SUCCEEDED"


def test_a_restarted_mock_still_serves_the_old_video_urls(
    make_app: AppFactory, clock: ManualClock, shared_store: SharedStore
) -> None:
    db = shared_store
    before = _shared_api(make_app, clock, db)
    url = before.run(body_for("t2v", parameters__size="832*480"))["output"]["video_url"]
    _close(before)

    after = _shared_api(make_app, clock, db)

    with after.client.get(url.removeprefix("http://localhost")) as response:
        assert response.status_code == 200
        assert response.mimetype == "video/mp4"


def test_two_apps_on_one_file_see_each_others_tasks(
    make_app: AppFactory, clock: ManualClock, shared_store: SharedStore
) -> None:
    db = shared_store
    first = _shared_api(make_app, clock, db)
    second = _shared_api(make_app, clock, db)

    from_first = [first.submit_ok(body_for("t2v")) for _ in range(3)]
    from_second = [second.submit_ok(body_for("kf2v")) for _ in range(2)]

    for task_id in from_first + from_second:
        assert first.status(task_id) == "PENDING"
        assert second.status(task_id) == "PENDING"
    assert first.list_ok()["total"] == second.list_ok()["total"] == 5


def test_a_cancel_through_one_app_is_seen_by_the_other(
    make_app: AppFactory, clock: ManualClock, shared_store: SharedStore
) -> None:
    db = shared_store
    first = _shared_api(make_app, clock, db)
    second = _shared_api(make_app, clock, db)
    task_id = first.submit_ok(body_for("t2v"))

    assert second.cancel(task_id).status_code == 200

    assert first.status(task_id) == "CANCELED"
    assert first.cancel(task_id).status_code == 400


def test_two_apps_on_one_file_sign_the_same_video_url(
    make_app: AppFactory, clock: ManualClock, shared_store: SharedStore
) -> None:
    db = shared_store
    first = _shared_api(make_app, clock, db)
    second = _shared_api(make_app, clock, db)
    task_id = first.submit_ok(body_for("t2v", parameters__size="832*480"))
    first.finish()

    url = first.query(task_id)["output"]["video_url"]

    assert second.query(task_id)["output"]["video_url"] == url
    with second.client.get(url.removeprefix("http://localhost")) as response:
        assert response.status_code == 200


def test_in_memory_apps_do_not_share_tasks(make_app: AppFactory, clock: ManualClock) -> None:
    first = Api(make_app().test_client(), clock)
    second = Api(make_app().test_client(), clock)
    task_id = first.submit_ok(body_for("t2v"))

    assert second.status(task_id) == "UNKNOWN"
    assert second.list_ok()["total"] == 0


def test_a_clock_moved_through_one_store_is_seen_through_another_on_the_file(
    shared_store: SharedStore,
) -> None:
    """Each worker keeps the clock state it read until the control state changes; a change made
    by another process on the same file must be seen at once."""
    from wan_mock._domain._clock import SharedClock

    one, other = shared_store.open(), shared_store.open()
    mover, reader = SharedClock(one), SharedClock(other)
    try:
        start = reader.now()  # read (and kept) before the change
        assert not reader.frozen()

        mover.advance(3600)
        assert reader.now() >= start + 3600
        mover.freeze()
        assert reader.frozen()
        frozen_at = reader.now()
        mover.advance(60)
        assert reader.now() == frozen_at + 60
        mover.reset()
        assert not reader.frozen()
        assert reader.now() < start + 3600
    finally:
        one.close()
        other.close()


def test_a_scenario_queued_through_one_store_is_seen_through_another_on_the_file(
    shared_store: SharedStore,
) -> None:
    one, other = shared_store.open(), shared_store.open()
    try:
        assert other.next_scenario("key") is None  # an empty queue, remembered as such
        one.push_scenario("key", "fail")
        queued = other.next_scenario("key")
        assert queued is not None
        assert queued[1] == "fail"
        assert other.next_scenario("another key") is None
        one.consume_scenario(queued[0])
        assert other.next_scenario("key") is None
    finally:
        one.close()
        other.close()


def test_a_list_page_is_read_from_the_schedules_and_counts_every_match(
    shared_store: SharedStore,
) -> None:
    from wan_mock._storage._interfaces import TaskFilter
    from wan_mock._storage._records import Schedule, TaskRecord

    store = shared_store.open()
    try:
        for n in range(25):
            outcome = "FAILED" if n % 5 == 0 else "SUCCEEDED"
            store.insert(
                TaskRecord(
                    f"task-{n:02d}", "key", "wan2.5-t2v-preview", "t2v", "r", n, n, n + 1, outcome
                )
            )
        store.insert(
            TaskRecord("other", "other key", "wan2.5-t2v-preview", "t2v", "r", 1, 1, 2, "FAILED")
        )

        def status_of(task: Schedule | TaskRecord) -> str:
            return task.outcome

        total, page = store.find_page(
            TaskFilter("key", since=0, until=100, offset=20, limit=10), status_of
        )
        failed, failed_page = store.find_page(
            TaskFilter("key", since=0, until=100, status="FAILED", offset=0, limit=2), status_of
        )
    finally:
        store.close()

    assert total == 25
    assert [record.task_id for record, _ in page] == [f"task-{n:02d}" for n in range(4, -1, -1)]
    assert failed == 5
    assert [(record.task_id, status) for record, status in failed_page] == [
        ("task-20", "FAILED"),
        ("task-15", "FAILED"),
    ]


def _open_store_together(path: str, barrier: Any) -> None:
    from wan_mock._storage._sqlite import SqliteStore

    barrier.wait(timeout=60)
    store = SqliteStore(Path(path))
    store.secret()
    store.close()


@pytest.mark.slow
def test_worker_processes_opening_a_new_file_together_all_succeed(tmp_path: Path) -> None:
    """Workers start at once on a fresh store: each switches it to WAL and creates the tables;
    none may fail with "database is locked" (SQLite refuses a concurrent switch to WAL rather
    than waiting for it)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for attempt in range(10):
        path = tmp_path / f"fresh-{attempt}.db"
        barrier = context.Barrier(8)
        workers = [
            context.Process(target=_open_store_together, args=(str(path), barrier))
            for _ in range(8)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert [worker.exitcode for worker in workers] == [0] * len(workers)
