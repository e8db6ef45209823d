"""Rate limits (``Settings(rate_limits=True)``): each model's submit RPS and concurrent tasks from
the spec's ``x-wan-models`` ``rate_limit``, and the task endpoints' QPS from ``x-wan-service``.

Request rates are counted on real monotonic time, so every test gives the backend a
``RateLimiter`` on a fake monotonic clock; task time moves with the ``ManualClock``.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask

from contract_tests.support.control import FakeMonotonic, model_limits
from contract_tests.support.mock import (
    API,
    IMAGE2VIDEO,
    KEY,
    START,
    VIDEO_GENERATION,
    Api,
    assert_error,
    auth,
    body_for,
)
from contract_tests.support.spec_data import spec_document
from contract_tests.support.valkey import SharedStore

if TYPE_CHECKING:
    from wan_mock._domain._clock import ManualClock

OTHER_KEY = "sk-other"
TASK_QPS = int(spec_document()["x-wan-service"]["task_endpoints_qps"])
QUOTA_MESSAGE = spec_document()["x-wan-errors"]["Throttling.RateQuota"]["message"]
PLUS = "wan2.2-t2v-plus"


def _t2v(model: str = PLUS) -> dict[str, Any]:
    return {
        "model": model,
        "input": {"prompt": "A paper boat on a stream."},
        "parameters": {"size": "832*480"},
    }


def _limited(
    make_app: Callable[..., Flask], clock: ManualClock, **settings: Any
) -> tuple[Api, FakeMonotonic]:
    """An app with rate limits on the test's clock, its limiter on a fake monotonic clock."""
    from wan_mock._service._settings import Settings

    fake = FakeMonotonic()
    app = make_app(Settings(rate_limits=True, **settings), rate_clock=fake)
    return Api(app.test_client(), clock), fake


@pytest.fixture
def limited(make_app: Callable[..., Flask], clock: ManualClock) -> tuple[Api, FakeMonotonic]:
    return _limited(make_app, clock)


def _assert_quota(response: Any, message: str = QUOTA_MESSAGE) -> int:
    assert_error(response, 429, "Throttling.RateQuota", message)
    retry_after = int(response.headers["Retry-After"])
    assert retry_after >= 1
    return retry_after


# ---------------------------------------------------------------------- submit RPS
def test_the_spec_gives_the_documented_limits() -> None:
    assert model_limits(PLUS) == (2, 2)
    assert model_limits("wan2.5-t2v-preview") == (5, 5)
    assert model_limits("wan2.1-kf2v-plus") == (1, 2)
    assert TASK_QPS == 20


def test_health_reports_rate_limits_on(limited: tuple[Api, FakeMonotonic]) -> None:
    api, _ = limited

    assert api.client.get("/__mock/health").get_json()["rate_limits"] is True


@pytest.mark.parametrize(
    ("model", "body", "path"),
    [
        (PLUS, _t2v(PLUS), VIDEO_GENERATION),
        ("wan2.5-t2v-preview", _t2v("wan2.5-t2v-preview"), VIDEO_GENERATION),
        ("wan2.1-kf2v-plus", body_for("kf2v", model="wan2.1-kf2v-plus"), IMAGE2VIDEO),
    ],
    ids=["rps-2", "rps-5", "rps-1"],
)
def test_more_submits_than_the_models_rps_in_one_second_get_429(
    limited: tuple[Api, FakeMonotonic], model: str, body: dict[str, Any], path: str
) -> None:
    api, fake = limited
    rps, _ = model_limits(model)

    for _ in range(rps):
        api.submit_ok(body, path=path)
        fake.advance(0.1)
    refused = api.submit(body, path=path)

    assert _assert_quota(refused) == 1
    fake.advance(1.0)
    api.submit_ok(body, path=path)


def test_a_refused_submit_makes_no_task(limited: tuple[Api, FakeMonotonic]) -> None:
    api, _ = limited
    for _ in range(2):
        api.submit_ok(_t2v())

    _assert_quota(api.submit(_t2v()))

    assert len(api.client.get("/__mock/tasks").get_json()["tasks"]) == 2


def test_the_window_slides_one_second(limited: tuple[Api, FakeMonotonic]) -> None:
    api, fake = limited
    api.submit_ok(_t2v())
    fake.advance(0.6)
    api.submit_ok(_t2v())
    fake.advance(0.3)

    assert _assert_quota(api.submit(_t2v())) == 1
    fake.advance(0.1)  # the first submit is now a second old
    api.submit_ok(_t2v())
    _assert_quota(api.submit(_t2v()))


def test_another_model_is_not_limited_by_this_ones_submits(
    limited: tuple[Api, FakeMonotonic],
) -> None:
    api, _ = limited
    for _ in range(2):
        api.submit_ok(_t2v(PLUS))
    _assert_quota(api.submit(_t2v(PLUS)))

    api.submit_ok(_t2v("wanx2.1-t2v-turbo"))


def test_another_key_is_not_limited_by_this_keys_submits(
    limited: tuple[Api, FakeMonotonic],
) -> None:
    api, _ = limited
    for _ in range(2):
        api.submit_ok(_t2v(), key=KEY)
    _assert_quota(api.submit(_t2v(), key=KEY))

    response = api.submit(_t2v(), key=OTHER_KEY)

    assert response.status_code == 200, response.get_data(as_text=True)


# ---------------------------------------------------------------------- task endpoints
def test_task_endpoints_over_their_qps_get_429(limited: tuple[Api, FakeMonotonic]) -> None:
    api, fake = limited
    task_id = api.submit_ok(_t2v())

    for _ in range(TASK_QPS):
        api.query(task_id)
    refused = api.client.get(f"{API}/tasks/{task_id}", headers=auth())

    assert _assert_quota(refused) == 1
    fake.advance(1.0)
    assert api.status(task_id) == "PENDING"


def test_query_list_and_cancel_share_the_task_endpoint_rate(
    limited: tuple[Api, FakeMonotonic],
) -> None:
    api, _ = limited
    task_id = api.submit_ok(_t2v())
    for _ in range(TASK_QPS // 2):
        api.query(task_id)
    for _ in range(TASK_QPS - TASK_QPS // 2):
        api.list_ok()

    _assert_quota(api.cancel(task_id))
    _assert_quota(api.list())
    assert api.status(task_id, key=OTHER_KEY) == "UNKNOWN"  # another key has its own rate


def test_task_endpoints_of_another_key_are_not_limited(
    limited: tuple[Api, FakeMonotonic],
) -> None:
    api, _ = limited
    for _ in range(TASK_QPS):
        api.list_ok()
    _assert_quota(api.list())

    api.list_ok(key=OTHER_KEY)


def test_without_rate_limits_nothing_is_throttled(api: Api) -> None:
    ids = [api.submit_ok(_t2v()) for _ in range(10)]
    for _ in range(TASK_QPS + 10):
        api.query(ids[0])
    api.list_ok()

    api.clock.set(START + 0.6)

    assert [api.status(task_id) for task_id in ids] == ["RUNNING"] * 10


# ---------------------------------------------------------------------- concurrency
def _statuses(api: Api, ids: list[str], key: str = KEY) -> list[str]:
    """The API's statuses of the tasks, read as the test's (control-plane) view of them, so
    the task endpoints' own rate limit is never what a concurrency test runs into."""
    tasks = {t["task_id"]: t["status"] for t in api.client.get("/__mock/tasks").get_json()["tasks"]}
    return [tasks[task_id] for task_id in ids]


def _submit_spread(api: Api, fake: FakeMonotonic, count: int, **kwargs: Any) -> list[str]:
    """Submit ``count`` tasks without breaking the RPS limit (one per fake second)."""
    ids = []
    for _ in range(count):
        ids.append(api.submit_ok(_t2v(), **kwargs))
        fake.advance(1.0)
    return ids


def _moments(api: Api) -> list[float]:
    tasks = api.client.get("/__mock/tasks").get_json()["tasks"]
    edges = sorted({t[name] for t in tasks for name in ("start_at", "end_at")})
    middles = [(a + b) / 2 for a, b in pairwise(edges)]
    return sorted({*edges, *middles, *(edge - 0.001 for edge in edges)})


def test_tasks_beyond_the_concurrency_limit_wait_pending(
    limited: tuple[Api, FakeMonotonic],
) -> None:
    api, fake = limited
    assert model_limits(PLUS)[1] == 2
    ids = _submit_spread(api, fake, 5)

    api.clock.set(START + 1.499)
    assert _statuses(api, ids) == ["RUNNING", "RUNNING", "PENDING", "PENDING", "PENDING"]
    api.clock.set(START + 1.5)
    assert _statuses(api, ids) == ["SUCCEEDED", "SUCCEEDED", "RUNNING", "RUNNING", "PENDING"]
    api.clock.set(START + 2.5)
    assert _statuses(api, ids)[4] == "RUNNING"
    api.clock.set(START + 3.5)
    assert _statuses(api, ids) == ["SUCCEEDED"] * 5


def test_at_no_moment_more_tasks_run_than_the_limit(limited: tuple[Api, FakeMonotonic]) -> None:
    api, fake = limited
    _, concurrent = model_limits(PLUS)
    ids = _submit_spread(api, fake, 3)
    api.clock.set(START + 1.0)  # two running, one waiting
    ids += _submit_spread(api, fake, 3)

    most = 0
    for moment in _moments(api):
        api.clock.set(moment)
        running = _statuses(api, ids).count("RUNNING")
        assert running <= concurrent, (moment - START, _statuses(api, ids))
        most = max(most, running)

    assert most == concurrent
    api.clock.set(START + 60)
    assert _statuses(api, ids) == ["SUCCEEDED"] * 6


def test_the_queue_is_per_key_and_model(limited: tuple[Api, FakeMonotonic]) -> None:
    api, fake = limited
    mine = _submit_spread(api, fake, 3)
    theirs = _submit_spread(api, fake, 2, key=OTHER_KEY)
    turbo = api.submit_ok(_t2v("wanx2.1-t2v-turbo"))

    api.clock.set(START + 0.6)

    assert _statuses(api, mine) == ["RUNNING", "RUNNING", "PENDING"]
    assert _statuses(api, theirs, key=OTHER_KEY) == ["RUNNING", "RUNNING"]
    assert api.status(turbo) == "RUNNING"


def test_a_canceled_waiting_task_frees_its_place(limited: tuple[Api, FakeMonotonic]) -> None:
    api, fake = limited
    ids = _submit_spread(api, fake, 3)
    assert api.cancel(ids[2]).status_code == 200

    later = _submit_spread(api, fake, 2)  # both fit in the two places free at 1.5 s
    api.clock.set(START + 1.499)
    assert _statuses(api, later) == ["PENDING", "PENDING"]
    api.clock.set(START + 1.5)

    assert _statuses(api, [*ids, *later]) == [
        "SUCCEEDED",
        "SUCCEEDED",
        "CANCELED",
        "RUNNING",
        "RUNNING",
    ]


def test_rejecting_over_concurrency_answers_429(
    make_app: Callable[..., Flask], clock: ManualClock
) -> None:
    api, fake = _limited(make_app, clock, reject_over_concurrency=True)
    _submit_spread(api, fake, 2)

    refused = api.submit(_t2v())

    retry_after = _assert_quota(
        refused, "Too many concurrent tasks for this model, please try again later."
    )
    assert retry_after == 2  # the first task ends 1.5 s after submission
    assert len(api.client.get("/__mock/tasks").get_json()["tasks"]) == 2
    api.submit_ok(_t2v(), key=OTHER_KEY)
    api.submit_ok(_t2v("wanx2.1-t2v-turbo"))
    api.clock.set(START + 1.5)
    fake.advance(1.0)
    api.submit_ok(_t2v())


# ---------------------------------------------------------------------- several workers
def test_workers_on_one_store_count_their_requests_together(
    make_app: Callable[..., Flask], clock: ManualClock, shared_store: SharedStore
) -> None:
    """Two apps on one store file or server (two workers of one server, two hosts) share the
    limit: the real service limits a key, not a connection."""
    fake = FakeMonotonic(start=1_800_000_000.0)
    apis = []
    for _ in range(2):
        settings = shared_store.settings(rate_limits=True)
        apis.append(Api(make_app(settings, rate_clock=fake).test_client(), clock))
    rps, _ = model_limits(PLUS)

    for n in range(rps):
        apis[n % 2].submit_ok(_t2v())
        fake.advance(0.1)

    _assert_quota(apis[0].submit(_t2v()))
    _assert_quota(apis[1].submit(_t2v()))
    fake.advance(1.0)
    apis[1].submit_ok(_t2v())


def test_a_file_store_app_counts_requests_in_the_store(
    make_app: Callable[..., Flask], clock: ManualClock, tmp_path: Any
) -> None:
    import sqlite3

    from wan_mock._service._settings import Settings

    store = tmp_path / "tasks.db"
    api = Api(make_app(Settings(rate_limits=True, store_path=store)).test_client(), clock)
    api.submit_ok(_t2v())

    with sqlite3.connect(store) as db:
        counted = db.execute("SELECT COUNT(*) FROM rate_hits").fetchone()[0]
    assert counted == 1
    assert api.client.post("/__mock/reset").status_code == 200
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM rate_hits").fetchone()[0] == 0
