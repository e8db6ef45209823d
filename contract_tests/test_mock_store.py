"""The SQLite file store: tasks survive a restart of the mock, and several apps on one file (as
gunicorn workers are) share their tasks, cancels and signed result URLs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from contract_tests.mock_support import (
    PENDING_SECONDS,
    Api,
    body_for,
)

if TYPE_CHECKING:
    from mock_server.clock import ManualClock

AppFactory = Callable[..., Flask]


def _file_api(make_app: AppFactory, clock: ManualClock, path: Path) -> Api:
    from mock_server.settings import Settings

    return Api(make_app(Settings(store_path=path)).test_client(), clock)


def _close(api: Api) -> None:
    """Drop an app as a stopped process would: its store connection goes away."""
    from mock_server.app import mock_state

    app = api.client.application
    mock_state(app).videos.close()
    mock_state(app).store.close()


def test_tasks_survive_a_restart(make_app: AppFactory, clock: ManualClock, tmp_path: Path) -> None:
    db = tmp_path / "tasks.db"
    before = _file_api(make_app, clock, db)
    done = before.submit_ok(body_for("t2v"))
    before.finish()
    running = before.submit_ok(body_for("i2v"))
    canceled = before.submit_ok(body_for("video_edit"))
    assert before.cancel(canceled).status_code == 200
    before.clock.advance(PENDING_SECONDS + 0.1)
    seen_before = {task_id: before.query(task_id)["output"] for task_id in (done, running)}
    _close(before)

    after = _file_api(make_app, clock, db)

    assert after.status(canceled) == "CANCELED"
    for task_id, output in seen_before.items():
        assert after.query(task_id)["output"] == output
    assert after.list_ok()["total"] == 3
    after.finish()
    assert after.status(running) == "SUCCEEDED"


def test_a_restarted_mock_still_serves_the_old_video_urls(
    make_app: AppFactory, clock: ManualClock, tmp_path: Path
) -> None:
    db = tmp_path / "tasks.db"
    before = _file_api(make_app, clock, db)
    url = before.run(body_for("t2v", parameters__size="832*480"))["output"]["video_url"]
    _close(before)

    after = _file_api(make_app, clock, db)

    with after.client.get(url.removeprefix("http://localhost")) as response:
        assert response.status_code == 200
        assert response.mimetype == "video/mp4"


def test_two_apps_on_one_file_see_each_others_tasks(
    make_app: AppFactory, clock: ManualClock, tmp_path: Path
) -> None:
    db = tmp_path / "tasks.db"
    first = _file_api(make_app, clock, db)
    second = _file_api(make_app, clock, db)

    from_first = [first.submit_ok(body_for("t2v")) for _ in range(3)]
    from_second = [second.submit_ok(body_for("kf2v")) for _ in range(2)]

    for task_id in from_first + from_second:
        assert first.status(task_id) == "PENDING"
        assert second.status(task_id) == "PENDING"
    assert first.list_ok()["total"] == second.list_ok()["total"] == 5


def test_a_cancel_through_one_app_is_seen_by_the_other(
    make_app: AppFactory, clock: ManualClock, tmp_path: Path
) -> None:
    db = tmp_path / "tasks.db"
    first = _file_api(make_app, clock, db)
    second = _file_api(make_app, clock, db)
    task_id = first.submit_ok(body_for("t2v"))

    assert second.cancel(task_id).status_code == 200

    assert first.status(task_id) == "CANCELED"
    assert first.cancel(task_id).status_code == 400


def test_two_apps_on_one_file_sign_the_same_video_url(
    make_app: AppFactory, clock: ManualClock, tmp_path: Path
) -> None:
    db = tmp_path / "tasks.db"
    first = _file_api(make_app, clock, db)
    second = _file_api(make_app, clock, db)
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
