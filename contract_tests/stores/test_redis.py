"""What is particular to the Redis store (``wan_mock._storage._redis``) on a real Valkey server:
expiry on the server at the task TTL, atomic scripts two "hosts" race on, the capped journal,
and a store that is down (a clean start-up error; 503 ``StoreUnavailable`` while running).

What every shared store promises runs on it too (``shared_store`` in test_mock_store.py and
test_rate_limits.py; test_lifecycle_machine.py's machine on Valkey)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from flask import Flask

from contract_tests.support.mock import API, Api, auth, body_for
from contract_tests.support.spec_data import control_document, spec_document
from contract_tests.support.valkey import start_valkey, stop_valkey
from wan_mock._domain._lifecycle import NEVER
from wan_mock._storage._interfaces import TaskFilter

if TYPE_CHECKING:
    import redis

    from wan_mock._domain._clock import ManualClock
    from wan_mock._storage._records import TaskRecord
    from wan_mock._storage._redis import RedisStore

TTL = float(spec_document()["x-wan-service"]["task_ttl_seconds"])
MODEL = "wan2.5-t2v-preview"
NOW = 1_800_000_000.0


@pytest.fixture
def stores(redis_url: str) -> Iterator[tuple[RedisStore, RedisStore]]:
    """Two stores on one database: two hosts of one mock."""
    from wan_mock._storage._redis import RedisStore

    one = RedisStore(redis_url, task_ttl_seconds=TTL)
    other = RedisStore(redis_url, task_ttl_seconds=TTL)
    try:
        yield one, other
    finally:
        one.close()
        other.close()


@pytest.fixture
def server(redis_url: str) -> Iterator[redis.Redis]:
    """A plain client of the test's database, to look at the keys."""
    import redis

    with redis.Redis.from_url(redis_url, decode_responses=True) as client:
        yield client


def _record(task_id: str, *, key: str = "key", start: float = NOW + 5) -> TaskRecord:
    from wan_mock._storage._records import TaskRecord

    return TaskRecord(task_id, key, MODEL, "t2v", "r", NOW, start, start + 10, "SUCCEEDED")


def _status(store: RedisStore, task_id: str, now: float) -> str:
    from wan_mock._domain._lifecycle import status_at

    record = store.get(task_id)
    assert record is not None
    return status_at(
        now,
        start_at=record.start_at,
        end_at=record.end_at,
        outcome=record.outcome,
        canceled_at=record.canceled_at,
    )


# ---------------------------------------------------------------------- expiry
def test_a_task_expires_on_the_server_at_the_documented_ttl(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    one, _ = stores
    one.insert(_record("t1"))

    for name in ("wan:record:t1", "wan:tasks:key"):
        left = int(server.pttl(name))
        assert TTL * 1000 - 60_000 < left <= TTL * 1000, (name, left)
    assert server.smembers("wan:keys") == {"key"}


def test_every_keys_list_drops_a_key_whose_index_has_expired(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    """The set of keys has no TTL of its own: a list of every key's tasks drops the keys whose
    index the server has expired."""
    one, other = stores
    one.insert(_record("t-a", key="a"))
    one.insert(_record("t-b", key="b"))
    assert sorted(record.task_id for record in other.all_tasks()) == ["t-a", "t-b"]
    server.pexpireat("wan:tasks:a", 1)

    total, page = other.find_page(TaskFilter(None), lambda task: "PENDING")

    assert (total, [record.task_id for record, _ in page]) == (1, ["t-b"])
    assert server.smembers("wan:keys") == {"b"}
    one.insert(_record("t-a2", key="a"))
    assert sorted(record.task_id for record in other.all_tasks()) == ["t-a2", "t-b"]


def test_an_expired_task_is_gone_and_leaves_the_list_index(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    """The server expires the task's record (here: an expiry moment in the past, which the
    server applies at once); the next list drops it from the index it was still in."""
    one, other = stores
    for task_id in ("old", "new"):
        one.insert(_record(task_id))
    server.pexpireat("wan:record:old", 1)

    total, page = other.find_page(TaskFilter("key"), lambda task: "PENDING")

    assert other.get("old") is None
    assert total == 1
    assert [record.task_id for record, _ in page] == ["new"]
    assert server.zscore("wan:tasks:key", "old") is None
    assert server.zscore("wan:tasks:key", "new") is not None


def test_an_index_drops_expired_tasks_as_new_ones_come_even_if_never_listed(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    """A key that keeps submitting and never lists still has a bounded index."""
    from wan_mock._storage._records import TaskRecord

    one, _ = stores
    for n, submitted in enumerate((NOW - TTL - 5, NOW - TTL - 1, NOW - TTL + 1)):
        one.insert(TaskRecord(f"t{n}", "key", MODEL, "t2v", "r", submitted, NOW, NOW, "SUCCEEDED"))
    assert server.zcard("wan:tasks:key") == 3
    one.insert(_record("t-now"))  # submitted at NOW: t0 and t1 are past the TTL by then

    assert server.zrange("wan:tasks:key", 0, -1) == ["t2", "t-now"]


# ---------------------------------------------------------------------- atomic writes
def test_another_keys_task_is_neither_queried_nor_canceled(
    stores: tuple[RedisStore, RedisStore],
) -> None:
    one, other = stores
    one.insert(_record("t1", key="owner"))

    assert other.query("t1", "intruder") is None
    assert not other.cancel("t1", "intruder", NOW)
    assert other.find_page(TaskFilter("intruder"), lambda task: "PENDING") == (0, [])
    owned = other.query("t1", "owner")
    assert owned is not None
    assert owned.polls == 1


def _together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment, one thread each; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(n: int, call: Callable[[], object]) -> None:
        barrier.wait(timeout=10)
        results[n] = call()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_hosts_cancelling_together_have_exactly_one_winner(
    stores: tuple[RedisStore, RedisStore],
) -> None:
    one, other = stores
    for n in range(30):
        task_id = f"t{n}"
        one.insert(_record(task_id))

        won = _together(
            partial(one.cancel, task_id, "key", NOW + 1),
            partial(other.cancel, task_id, "key", NOW + 1),
        )

        assert sorted(won, key=bool) == [False, True]
        assert _status(one, task_id, NOW + 1) == "CANCELED"


def test_a_cancel_racing_a_start_either_wins_before_it_or_loses(
    stores: tuple[RedisStore, RedisStore],
) -> None:
    """A task that starts by polls (start at NEVER until a query moves it) is started through
    one host while another cancels it at the same moment: the cancel wins only if the task is
    still PENDING, and the status never goes back."""
    from wan_mock._domain._lifecycle import NEVER, ORDER

    one, other = stores
    at = NOW + 1
    for n in range(40):
        task_id = f"p{n}"
        one.insert(_record(task_id, start=NEVER))

        _, canceled = _together(
            partial(one.progress, task_id, start_at=at, end_at=None),
            partial(other.cancel, task_id, "key", at),
        )

        status = _status(one, task_id, at)
        assert status == ("CANCELED" if canceled else "RUNNING")
        later = _status(one, task_id, at + 100)
        assert ORDER[later] >= ORDER[status]
        assert (later == "CANCELED") == canceled


def test_a_started_task_is_not_moved_back_by_another_progress(
    stores: tuple[RedisStore, RedisStore],
) -> None:
    from wan_mock._domain._lifecycle import NEVER

    one, other = stores
    one.insert(_record("p", start=NEVER))
    one.progress("p", start_at=NOW + 1, end_at=None)
    other.progress("p", start_at=NOW + 50, end_at=NOW + 60)

    record = other.get("p")
    assert record is not None
    assert record.start_at == NOW + 1
    assert record.end_at == NOW + 60


def test_two_hosts_queueing_one_keys_tasks_never_overbook_its_slots(
    stores: tuple[RedisStore, RedisStore],
) -> None:
    """The concurrency scheduler sees the tasks the other host queued (WATCH on the busy set):
    with one slot, tasks submitted together through two hosts run one after the other."""
    from wan_mock._domain._lifecycle import queued_start

    def scheduler(record: TaskRecord) -> Callable[[list[tuple[float, float]]], None]:
        def schedule(busy: list[tuple[float, float]]) -> None:
            record.start_at = queued_start(record.start_at, 10.0, busy, 1)
            record.end_at = record.start_at + 10.0

        return schedule

    def submit(store: RedisStore, name: str) -> None:
        for n in range(10):
            record = _record(f"{name}{n}")
            store.insert(record, scheduler(record))

    _together(lambda: submit(stores[0], "a"), lambda: submit(stores[1], "b"))

    spans = sorted((record.start_at, record.end_at) for record in stores[0].all_tasks())
    assert len(spans) == 20
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start >= end


def test_a_host_scheduling_again_after_a_change_starts_from_the_submit(
    stores: tuple[RedisStore, RedisStore],
) -> None:
    """The task a new one queued behind is canceled through another host while the first
    schedules: it schedules again (WATCH), from the task as submitted — into the freed slot."""
    from wan_mock._domain._lifecycle import queued_start

    one, other = stores
    ahead = _record("ahead")
    ahead.end_at = NOW + 15
    one.insert(ahead, lambda busy: None)
    record = _record("next")
    seen: list[list[tuple[float, float]]] = []

    def schedule(busy: list[tuple[float, float]]) -> None:
        seen.append(busy)
        if len(seen) == 1:
            assert other.cancel("ahead", "key", NOW)
        record.start_at = queued_start(record.start_at, 10.0, busy, 1)
        record.end_at = record.start_at + 10.0

    one.insert(record, schedule)

    assert seen == [[(NOW + 5, NOW + 15)], []]
    stored = one.get("next")
    assert stored is not None
    assert (stored.start_at, stored.end_at) == (NOW + 5, NOW + 15)


# ---------------------------------------------------------------------- the journal
def test_the_journal_is_a_capped_list(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    one, other = stores
    one.insert(_record("t1"))
    for batch in range(3):
        entries = [
            {"at": NOW + batch * 4 + n, "operation": "query_task", "status": 200, "task_id": "t1"}
            for n in range(4)
        ]
        (one if batch % 2 else other).journal_add_many(entries, 5, polls={"t1": 4})

    assert server.llen("wan:journal") == 5
    newest = other.journal(operation=None, task_id=None, limit=100, max_entries=None)
    assert [entry["at"] for entry in newest] == [NOW + n for n in range(11, 6, -1)]
    assert other.journal(operation=None, task_id="t1", limit=2, max_entries=None) == newest[:2]
    record = one.get("t1")
    assert record is not None
    assert record.polls == 12


def test_polls_of_an_expired_task_do_not_bring_it_back(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    one, _ = stores
    one.journal_add_many([], 5, polls={"gone": 3})
    assert one.count_download("gone") == 0
    one.progress("gone", start_at=NOW, end_at=NOW)
    assert not one.cancel("gone", "key", NOW)
    assert one.query("gone", "key") is None
    assert server.exists("wan:record:gone", "wan:state:gone", "wan:count:gone") == 0


# ---------------------------------------------------------------------- cached control values
def _calls(server: redis.Redis, command: str) -> int:
    stats: dict[str, Any] = server.info("commandstats")
    return int(stats.get(f"cmdstat_{command}", {}).get("calls", 0))


def test_a_cached_control_value_is_read_once_until_a_host_changes_it(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    """The clock and the scenario queue are cached on each host; a change through any host
    (or straight on the server) is what the next read on every other host sees."""
    one, other = stores
    one.set_meta("clock", "1.0")
    assert other.get_meta("clock") == "1.0"
    before = _calls(server, "hget")
    assert [other.get_meta("clock") for _ in range(20)] == ["1.0"] * 20
    assert _calls(server, "hget") == before  # answered by the host's cache

    for n in range(200):  # each change, once answered, is what the other host reads next
        one.set_meta("clock", f"{n}.5")
        assert other.get_meta("clock") == f"{n}.5"
    server.hset("wan:meta", "clock", "3.0")
    assert other.get_meta("clock") == "3.0"
    one.set_meta("clock", None)
    assert other.get_meta("clock") is None

    assert other.next_scenario("key") is None
    before = _calls(server, "lrange")
    assert [other.next_scenario("key") for _ in range(5)] == [None] * 5
    assert _calls(server, "lrange") == before
    one.push_scenario("key", "fail=InternalError")
    queued = other.next_scenario("key")
    assert queued is not None
    assert queued[1] == "fail=InternalError"
    one.consume_scenario(queued[0])
    assert other.next_scenario("key") is None


def test_a_read_task_is_cached_until_a_host_changes_it(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    """A polled task is read once per change: every change through any host (its schedule,
    a cancel, a clear) is what the next read on another host sees, and so is a task created
    after a read found none. Its record (never changed) is read once."""
    one, other = stores
    assert other.peek("t-later") is None
    one.insert(_record("t-later", start=NEVER))
    found = other.peek("t-later")
    assert found is not None
    assert found.task_id == "t-later"

    before = _calls(server, "hgetall"), _calls(server, "get")
    assert {other.peek("t-later") == found for _ in range(20)} == {True}
    assert (_calls(server, "hgetall"), _calls(server, "get")) == before  # the host's cache

    for n in range(200):  # each change, once answered, is what the other host reads next
        server.hset("wan:state:t-later", "end_at", repr(NOW + n))
        again = other.peek("t-later")
        assert again is not None
        assert again.end_at == NOW + n
    assert _calls(server, "get") == before[1]  # the record was not asked again
    server.delete("wan:state:t-later")
    again = other.peek("t-later")
    assert again is not None
    assert again.end_at == found.end_at  # as submitted
    one.peek("t-later")  # and the host that made a change reads it next too
    one.progress("t-later", start_at=NOW + 1, end_at=None)
    for store in (one, other):
        started = store.peek("t-later")
        assert started is not None
        assert started.start_at == NOW + 1
    assert one.cancel("t-later", "key", NOW)
    for store in (one, other):
        canceled = store.peek("t-later")
        assert canceled is not None
        assert canceled.canceled_at == NOW
    one.clear()
    assert other.peek("t-later") is None


def test_a_new_task_tells_no_other_host_anything(stores: tuple[RedisStore, RedisStore]) -> None:
    """A task's record is written under a key no host tracks: a submit pushes nothing to the
    other hosts (which would each have to read and drop it)."""
    one, other = stores
    assert other.get_meta("clock") is None  # the other host is tracking
    connection = other._reads._connection
    for n in range(20):
        one.insert(_record(f"t-quiet-{n}"))
    assert not connection.can_read(timeout=0.05)
    one.set_meta("clock", "1.0")  # while a change to what it tracks is pushed to it
    assert connection.can_read(timeout=1)


def test_a_kept_record_is_gone_at_its_ttl_on_the_server(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    """A record is kept no longer than the server keeps it: until its TTL as read with it."""
    one, other = stores
    one.insert(_record("t-short"))
    server.pexpire("wan:record:t-short", 60_000)
    assert other.peek("t-short") is not None
    read_at = time.monotonic()
    server.pexpireat("wan:record:t-short", 1)  # the server's own expiry, a minute early here
    other._reads.clock = lambda: read_at + 30
    assert other.peek("t-short") is not None  # still kept: the server's TTL had not run out
    other._reads.clock = lambda: read_at + 61
    assert other.peek("t-short") is None


def test_counting_polls_and_downloads_leaves_the_cached_task_alone(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    """Counts live apart from the task's hash: a journal batch's polls do not make every host
    read the task again, and ``get`` (the control plane's read) has them exact."""
    one, other = stores
    one.insert(_record("t-counted"))
    assert other.peek("t-counted") is not None
    before = _calls(server, "hgetall")

    one.journal_add_many([], 100, polls={"t-counted": 3})
    assert one.count_download("t-counted") == 0
    assert other.peek("t-counted") is not None
    assert _calls(server, "hgetall") == before  # still the cached hash

    counted = other.get("t-counted")
    assert counted is not None
    assert (counted.polls, counted.downloads) == (3, 1)
    queried = other.query("t-counted", "key")
    assert queried is not None
    assert queried.polls == 4
    listed = [record for record, _ in other.find_page(TaskFilter("key"), lambda task: "PENDING")[1]]
    assert [(record.task_id, record.polls, record.downloads) for record in listed] == [
        ("t-counted", 4, 1)
    ]
    # the counters expire with the task, at the same moment
    expiry = int(server.pexpiretime("wan:record:t-counted"))
    assert expiry > 0
    assert int(server.pexpiretime("wan:count:t-counted")) == expiry
    one.journal_add_many([], 100, polls={"t-gone": 2})  # no task: nothing counted
    assert not server.exists("wan:count:t-gone")


def test_a_host_keeps_a_bounded_number_of_read_values(
    stores: tuple[RedisStore, RedisStore],
) -> None:
    from wan_mock._storage import _redis as redis_store

    one, other = stores
    for n in range(redis_store._TRACKED_READS + 50):
        one.insert(_record(f"t-{n}"))
        assert other.get(f"t-{n}") is not None
    assert len(other._reads._values) == redis_store._TRACKED_READS
    first = other.get("t-0")  # read again from the server (it was dropped first)
    assert first is not None
    assert first.task_id == "t-0"


def test_a_host_serving_nothing_still_reads_what_the_server_pushes_it(
    stores: tuple[RedisStore, RedisStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pushes are drained while no request reads, so that they do not queue up on the
    server for an idle host."""
    from wan_mock._storage import _tracked_reads

    monkeypatch.setattr(_tracked_reads, "_DRAIN_SECONDS", 0.02)
    one, other = stores
    one.insert(_record("t-idle"))
    assert other.get("t-idle") is not None
    cached = ("HGETALL", "wan:state:t-idle")
    assert cached in other._reads._values

    assert one.cancel("t-idle", "key", NOW)  # and nothing more is asked of the other host
    for _ in range(200):  # a bounded wait for its drainer thread (every 0.02 s here)
        if cached not in other._reads._values:
            break
        time.sleep(0.01)
    assert cached not in other._reads._values


def test_the_scripts_are_loaded_again_on_a_server_that_lost_them(
    stores: tuple[RedisStore, RedisStore], server: redis.Redis
) -> None:
    from redis.exceptions import ResponseError

    one, other = stores
    one.insert(_record("t-before"))
    server.script_flush()  # as a restarted server without persistence has none
    one.insert(_record("t-after"))
    assert other.get("t-after") is not None
    assert one.count_download("t-after") == 0
    assert one.cancel("t-after", "key", NOW)
    one.insert(_record("t-string"))
    server.set("wan:count:t-string", "x")
    with pytest.raises(ResponseError, match="WRONGTYPE"):  # the server's own error
        one.count_download("t-string")
    assert one.count_download("t-before") == 0  # and the connection still serves
    server.hset("wan:state:t-string", "x", "1")  # a record, and a state, not of their type
    server.delete("wan:record:t-string")
    server.hset("wan:record:t-string", "x", "1")
    with pytest.raises(ResponseError, match="WRONGTYPE"):  # one reply of the round trip's
        other.peek("t-string")
    found = other.get("t-before")  # every reply was read: the next answers are in step
    assert found is not None
    assert found.task_id == "t-before"


# ---------------------------------------------------------------------- a store that is down
def test_a_store_lost_while_running_answers_503_in_the_envelope(
    make_app: Callable[..., Flask], clock: ManualClock, tmp_path: Path
) -> None:
    from wan_mock._service._settings import Settings

    valkey, process = start_valkey(tmp_path)
    try:
        app = make_app(Settings(store_url=valkey.url(0)))
        api = Api(app.test_client(), clock)
        task_id = api.submit_ok(body_for("t2v"))
    finally:
        stop_valkey(process)

    response = api.client.get(f"{API}/tasks/{task_id}", headers=auth())

    expected = control_document()["x-mock-errors"]["StoreUnavailable"]
    assert response.status_code == expected["http_status"] == 503
    body: dict[str, Any] = response.get_json()
    assert set(body) == {"request_id", "code", "message"}
    assert body["code"] == "StoreUnavailable"
    assert body["message"] == expected["message"]


def test_serve_on_a_store_that_is_down_is_a_clean_error(tmp_path: Path) -> None:
    from wan_mock._cli._main import main

    valkey, process = start_valkey(tmp_path)
    stop_valkey(process)  # a port where nothing answers any more
    url = f"redis://:hunter2@127.0.0.1:{valkey.port}/0"

    result = CliRunner().invoke(main, ["serve", "--port", "0", "--store", url])

    assert result.exit_code == 1, result.output
    assert "cannot open the store redis://:***@127.0.0.1" in result.output
    assert "hunter2" not in result.output
    assert "Traceback" not in result.output


def test_several_workers_need_no_file_with_a_redis_store(redis_url: str) -> None:
    from wan_mock._service._settings import Settings

    settings = Settings(store_url=redis_url, workers=4)
    assert settings.store == redis_url
    with pytest.raises(ValueError, match="shared store"):
        Settings(workers=4)
    with pytest.raises(ValueError, match="redis://"):
        Settings(store_url="tasks.db")


# ---------------------------------------------------------------------- uploads
def test_an_upload_to_one_host_is_submitted_through_another_and_expires(
    make_app: Callable[..., Flask], clock: ManualClock, redis_url: str, server: redis.Redis
) -> None:
    """The bytes live on the server (not in either host's folder), expiring there at the
    upload TTL; on the mock's clock an upload older than its TTL is refused."""
    from contract_tests.support.control import image_bytes, upload_file
    from contract_tests.support.mock import START
    from wan_mock._http._app import mock_state
    from wan_mock._service._settings import Settings

    raw = image_bytes((512, 512), "JPEG")
    first = Api(make_app(Settings(store_url=redis_url)).test_client(), clock)
    second = Api(make_app(Settings(store_url=redis_url)).test_client(), clock)
    upload = upload_file(first.client, name="photo.jpg", data=raw)
    body = body_for("i2v", input__img_url=upload.oss_url)
    resolve = {"X-DashScope-OssResourceResolve": "enable"}

    accepted = second.submit(body, headers=resolve)

    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    name = f"wan:upload:{upload.key}"
    import redis as redis_py

    with redis_py.Redis.from_url(redis_url) as binary:
        assert binary.hget(name, "data") == raw
    upload_ttl = float(spec_document()["x-wan-service"]["upload_ttl_seconds"])
    left = int(server.pttl(name))
    assert upload_ttl * 1000 - 60_000 < left <= upload_ttl * 1000
    root = mock_state(first.client.application).backend.uploads.root
    assert not (root / upload.key).exists()
    clock.set(START + upload_ttl)
    refused = second.submit(body, headers=resolve)
    assert refused.status_code == 400
    assert "has expired" in refused.get_json()["message"]
