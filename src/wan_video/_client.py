"""``WanClient`` and ``AsyncWanClient``: the variants (``_variants.py``), ``get``, ``cancel``,
``list_tasks``, ``wait`` and ``download``. The two classes differ only in how they do I/O; what
they decide is shared (``_http``, ``_policy``, ``_waiting``, ``_download``)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, Self, TypedDict, Unpack

import httpx

from wan_video_client import AuthenticatedClient
from wan_video_client.models import (
    CancelResponse,
    TaskListResponse,
    TaskQueryResponse,
    TaskSubmitResponse,
)

from ._download import Progress, Transfer
from ._http import (
    AsyncClientTransport,
    ClientTransport,
    M,
    Settings,
    connection_error,
    parse,
    request_args,
)
from ._policy import PollSchedule, RetryPolicy, async_retrying, idempotent, retrying, submit_safe
from ._requests import Submission
from ._tasks import SucceededTask, Task, TaskPage
from ._variants import Variants
from ._waiting import Waiting, WaitOptions
from .errors import APIConnectionError, APIError, IncompleteDownload

__all__ = ["AsyncWanClient", "ClientOptions", "TaskFilters", "WanClient"]

DEFAULT_RETRY = RetryPolicy()
SDK_SCHEDULE = PollSchedule()

#: A task or its id.
TaskRef = str | Task


def _task_id(task: TaskRef) -> str:
    return task.task_id if isinstance(task, Task) else task


def _params(filters: TaskFilters) -> dict[str, str]:
    return {name: str(value) for name, value in filters.items() if value is not None}


class ClientOptions(TypedDict, total=False):
    """What both clients take besides the key, the transport and the sleep."""

    #: ``"intl"`` (Singapore) or ``"cn"`` (Beijing): the spec's server of that region.
    region: str | None
    #: The API root (``…/api/v1``; added to a bare ``http://host:port``), instead of a region.
    base_url: str | None
    #: Sent as ``X-DashScope-WorkSpace``.
    workspace: str | None
    #: Seconds (or an ``httpx.Timeout``) for each request; 60 by default.
    timeout: float | httpx.Timeout
    #: The retries (``None``: none); ``RetryPolicy()`` by default.
    retry: RetryPolicy | None
    #: ``wait()``'s schedule; the official SDK's by default.
    poll: PollSchedule


class TaskFilters(TypedDict, total=False):
    """The filters of ``GET /tasks``: times as ``YYYYMMDDhhmmss``, a window of at most 24 hours
    (the last 24 hours by default); pages from 1, 10 tasks a page by default."""

    status: str | None
    model_name: str | None
    start_time: str | None
    end_time: str | None
    page_no: int | None
    page_size: int | None


class _Base:
    """What both clients are made of: the settings, and the generated client on the transport
    to send through — ``transport``, or ``wrap(http_client)`` over a caller's client, or (both
    ``None``) httpx's own."""

    def __init__(
        self,
        api_key: str | None,
        options: ClientOptions,
        http_client: object | None,
        transport: object | None,
        wrap: Callable[[Any], object],
    ) -> None:
        settings = Settings(api_key, options.get("region"), options.get("base_url"))
        if http_client is not None:
            if transport is not None:
                raise ValueError("give http_client= or transport=, not both")
            transport = wrap(http_client)
        timeout = options.get("timeout", 60.0)
        workspace = options.get("workspace")
        self.region = settings.region
        self.base_url = settings.base_url
        self.retry = options.get("retry", DEFAULT_RETRY) or RetryPolicy(attempts=1)
        self.poll = options.get("poll", SDK_SCHEDULE)
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.generated = AuthenticatedClient(
            base_url=self.base_url,
            token=settings.api_key,
            headers={"X-DashScope-WorkSpace": workspace} if workspace else {},
            timeout=self._timeout,
            httpx_args={"transport": transport} if transport is not None else {},
        )
        #: The arguments of the results' client: the same transport, without the key's headers.
        self._files_args: dict[str, Any] = {
            "transport": transport,
            "timeout": self._timeout,
            "follow_redirects": True,
        }

    def _waiting(self, task: TaskRef, options: WaitOptions) -> Waiting:
        return Waiting(
            _task_id(task),
            timeout=options.get("timeout"),
            schedule=options.get("poll") or self.poll,
            retry=self.retry,
            on_update=options.get("on_update"),
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url}>"


class WanClient(_Base, Variants[Task]):
    """The Wan video API, synchronously.

    ``api_key`` defaults to ``DASHSCOPE_API_KEY``; ``region`` (``"intl"``, Singapore, or
    ``"cn"``, Beijing) or ``base_url`` say where to (default: ``DASHSCOPE_HTTP_BASE_URL``, else
    ``intl``). ``http_client`` (an ``httpx.Client`` whose transport to use, e.g. the mock's
    ``mock.http``) or ``transport`` carry the requests. ``retry`` bounds the retries (``None``:
    none), ``poll`` is ``wait()``'s schedule and ``sleep`` what every pause calls (tests pass
    the mock's ``advance``). ``generated`` is the generated ``AuthenticatedClient`` underneath.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], object] = time.sleep,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(api_key, options, http_client, transport, ClientTransport)
        self._http = self.generated.get_httpx_client()
        self._files = httpx.Client(**self._files_args)
        self._sleep = sleep

    # ------------------------------------------------------------------ requests
    def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._http.send(request)
        except httpx.TransportError as error:
            raise connection_error(error) from error

    def _call(
        self,
        operation: str,
        model: type[M],
        retry_if: Callable[[RetryPolicy, BaseException], bool],
        sleep: Callable[[float], object] | None = None,
        **args: Any,
    ) -> M:
        request = self._http.build_request(**request_args(operation, **args))
        for attempt in retrying(self.retry, retry_if, sleep or self._sleep):
            with attempt:
                return parse(self._send(request), model)
        raise AssertionError("unreachable: the retries return or raise")

    def _submit(self, submission: Submission) -> Task:
        answer = self._call(
            submission.operation, TaskSubmitResponse, submit_safe, body=submission.body
        )
        return Task.from_submit(answer)

    def _get(self, task_id: str, sleep: Callable[[float], object] | None = None) -> Task:
        answer = self._call("get_task", TaskQueryResponse, idempotent, sleep, task_id=task_id)
        return Task.from_query(answer)

    def get(self, task: TaskRef) -> Task:
        """The task as it is now (``GET /tasks/{task_id}``)."""
        return self._get(_task_id(task))

    def cancel(self, task: TaskRef) -> None:
        """Cancel a PENDING task (``UnsupportedOperationError`` once it runs)."""
        self._call("cancel_task", CancelResponse, idempotent, task_id=_task_id(task))

    def list_tasks(self, **filters: Unpack[TaskFilters]) -> TaskPage:
        """A page of this key's tasks (``GET /tasks``, filtered as :class:`TaskFilters` says)."""
        answer = self._call("list_tasks", TaskListResponse, idempotent, params=_params(filters))
        return TaskPage.from_answer(answer)

    # ------------------------------------------------------------------ wait and download
    def wait(self, task: TaskRef, **options: Unpack[WaitOptions]) -> SucceededTask:
        """Poll until the task is done; its video, or ``TaskFailed``, ``TaskCanceled``,
        ``TaskUnknown``, ``WaitTimeout`` (after ``timeout`` seconds; ``None``: no limit).
        ``on_update`` is called with every polled task; ``poll`` replaces the client's
        schedule (:class:`~wan_video.WaitOptions`)."""
        waiting = self._waiting(task, options)

        def sleep(seconds: float) -> object:
            return self._sleep(waiting.charge(seconds))

        while True:
            try:
                done = waiting.seen(self._get(waiting.task_id, sleep))
            except (APIError, APIConnectionError) as error:
                waiting.failed(error)
            else:
                if done is not None:
                    return done
            self._sleep(waiting.pause())

    def _piece(self, transfer: Transfer) -> None:
        best = transfer.best
        try:
            with self._files.stream("GET", transfer.url, headers=transfer.headers()) as response:
                if not response.is_success:
                    response.read()
                transfer.begin(response)
                for chunk in response.iter_bytes():
                    transfer.write(chunk)
            transfer.end()
        except (httpx.TransportError, IncompleteDownload) as error:
            if transfer.best <= best:  # nothing new: worth a retry after a pause
                raise transfer.incomplete(str(error)) from error

    def download(
        self, url: str, dest: str | os.PathLike[str], *, on_progress: Progress | None = None
    ) -> Path:
        """Stream a result to ``dest``, resuming with ``Range`` where a transfer broke;
        ``on_progress(bytes_done, total)`` after every chunk. The path written."""
        with Transfer(url, dest, on_progress) as transfer:
            while not transfer.complete:
                for attempt in retrying(self.retry, idempotent, self._sleep):
                    with attempt:
                        self._piece(transfer)
            return transfer.finish()

    # ------------------------------------------------------------------ life
    def close(self) -> None:
        self._http.close()
        self._files.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncWanClient(_Base, Variants[Coroutine[Any, Any, Task]]):
    """:class:`WanClient` on httpx's async client: the same arguments (``http_client`` is an
    ``httpx.AsyncClient``, ``transport`` an async one, ``sleep`` a coroutine function) and the
    same methods, each awaited."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(api_key, options, http_client, transport, AsyncClientTransport)
        self._http = self.generated.get_async_httpx_client()
        self._files = httpx.AsyncClient(**self._files_args)
        self._sleep = sleep

    # ------------------------------------------------------------------ requests
    async def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._http.send(request)
        except httpx.TransportError as error:
            raise connection_error(error) from error

    async def _call(
        self,
        operation: str,
        model: type[M],
        retry_if: Callable[[RetryPolicy, BaseException], bool],
        sleep: Callable[[float], Awaitable[object]] | None = None,
        **args: Any,
    ) -> M:
        request = self._http.build_request(**request_args(operation, **args))
        async for attempt in async_retrying(self.retry, retry_if, sleep or self._sleep):
            with attempt:
                return parse(await self._send(request), model)
        raise AssertionError("unreachable: the retries return or raise")

    async def _submit(self, submission: Submission) -> Task:
        answer = await self._call(
            submission.operation, TaskSubmitResponse, submit_safe, body=submission.body
        )
        return Task.from_submit(answer)

    async def _get(
        self, task_id: str, sleep: Callable[[float], Awaitable[object]] | None = None
    ) -> Task:
        answer = await self._call("get_task", TaskQueryResponse, idempotent, sleep, task_id=task_id)
        return Task.from_query(answer)

    async def get(self, task: TaskRef) -> Task:
        """The task as it is now (``GET /tasks/{task_id}``)."""
        return await self._get(_task_id(task))

    async def cancel(self, task: TaskRef) -> None:
        """Cancel a PENDING task (``UnsupportedOperationError`` once it runs)."""
        await self._call("cancel_task", CancelResponse, idempotent, task_id=_task_id(task))

    async def list_tasks(self, **filters: Unpack[TaskFilters]) -> TaskPage:
        """A page of this key's tasks (see :meth:`WanClient.list_tasks`)."""
        params = _params(filters)
        answer = await self._call("list_tasks", TaskListResponse, idempotent, params=params)
        return TaskPage.from_answer(answer)

    # ------------------------------------------------------------------ wait and download
    async def wait(self, task: TaskRef, **options: Unpack[WaitOptions]) -> SucceededTask:
        """Poll until the task is done (see :meth:`WanClient.wait`)."""
        waiting = self._waiting(task, options)

        def sleep(seconds: float) -> Awaitable[object]:
            return self._sleep(waiting.charge(seconds))

        while True:
            try:
                done = waiting.seen(await self._get(waiting.task_id, sleep))
            except (APIError, APIConnectionError) as error:
                waiting.failed(error)
            else:
                if done is not None:
                    return done
            await self._sleep(waiting.pause())

    async def _piece(self, transfer: Transfer) -> None:
        best = transfer.best
        try:
            request = self._files.build_request("GET", transfer.url, headers=transfer.headers())
            response = await self._files.send(request, stream=True)
            try:
                if not response.is_success:
                    await response.aread()
                transfer.begin(response)
                async for chunk in response.aiter_bytes():
                    transfer.write(chunk)
            finally:
                await response.aclose()
            transfer.end()
        except (httpx.TransportError, IncompleteDownload) as error:
            if transfer.best <= best:
                raise transfer.incomplete(str(error)) from error

    async def download(
        self, url: str, dest: str | os.PathLike[str], *, on_progress: Progress | None = None
    ) -> Path:
        """Stream a result to ``dest``, resuming with ``Range`` (see :meth:`WanClient.download`)."""
        with Transfer(url, dest, on_progress) as transfer:
            while not transfer.complete:
                async for attempt in async_retrying(self.retry, idempotent, self._sleep):
                    with attempt:
                        await self._piece(transfer)
            return transfer.finish()

    # ------------------------------------------------------------------ life
    async def close(self) -> None:
        await self._http.aclose()
        await self._files.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
