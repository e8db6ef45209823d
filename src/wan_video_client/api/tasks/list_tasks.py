from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.task_list_response import TaskListResponse
from ...models.task_status import TaskStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    task_id: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    model_name: str | Unset = UNSET,
    status: TaskStatus | Unset = UNSET,
    page_no: int | Unset = 1,
    page_size: int | Unset = 10,
    api_key_id: str | Unset = UNSET,
    region: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["task_id"] = task_id

    params["start_time"] = start_time

    params["end_time"] = end_time

    params["model_name"] = model_name

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["page_no"] = page_no

    params["page_size"] = page_size

    params["api_key_id"] = api_key_id

    params["region"] = region

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/tasks",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TaskListResponse | None:
    if response.status_code == 200:
        response_200 = TaskListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | TaskListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    task_id: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    model_name: str | Unset = UNSET,
    status: TaskStatus | Unset = UNSET,
    page_no: int | Unset = 1,
    page_size: int | Unset = 10,
    api_key_id: str | Unset = UNSET,
    region: str | Unset = UNSET,
) -> Response[ErrorResponse | TaskListResponse]:
    """List this key's tasks in a time window

     Pages through the tasks created with the calling key, newest first. The window
    `start_time`..`end_time` (both `YYYYMMDDhhmmss`) spans at most 24 hours and defaults to
    the last 24 hours. Items use `status` (not `task_status`) and epoch-millisecond times.

    Args:
        task_id (str | Unset):
        start_time (str | Unset):
        end_time (str | Unset):
        model_name (str | Unset):
        status (TaskStatus | Unset): PENDING (queued), RUNNING, SUCCEEDED, FAILED, CANCELED
            (canceled while pending) or UNKNOWN
            (no such task for this key, or older than 24 hours).
        page_no (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        api_key_id (str | Unset):
        region (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TaskListResponse]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        start_time=start_time,
        end_time=end_time,
        model_name=model_name,
        status=status,
        page_no=page_no,
        page_size=page_size,
        api_key_id=api_key_id,
        region=region,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    task_id: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    model_name: str | Unset = UNSET,
    status: TaskStatus | Unset = UNSET,
    page_no: int | Unset = 1,
    page_size: int | Unset = 10,
    api_key_id: str | Unset = UNSET,
    region: str | Unset = UNSET,
) -> ErrorResponse | TaskListResponse | None:
    """List this key's tasks in a time window

     Pages through the tasks created with the calling key, newest first. The window
    `start_time`..`end_time` (both `YYYYMMDDhhmmss`) spans at most 24 hours and defaults to
    the last 24 hours. Items use `status` (not `task_status`) and epoch-millisecond times.

    Args:
        task_id (str | Unset):
        start_time (str | Unset):
        end_time (str | Unset):
        model_name (str | Unset):
        status (TaskStatus | Unset): PENDING (queued), RUNNING, SUCCEEDED, FAILED, CANCELED
            (canceled while pending) or UNKNOWN
            (no such task for this key, or older than 24 hours).
        page_no (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        api_key_id (str | Unset):
        region (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TaskListResponse
    """

    return sync_detailed(
        client=client,
        task_id=task_id,
        start_time=start_time,
        end_time=end_time,
        model_name=model_name,
        status=status,
        page_no=page_no,
        page_size=page_size,
        api_key_id=api_key_id,
        region=region,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    task_id: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    model_name: str | Unset = UNSET,
    status: TaskStatus | Unset = UNSET,
    page_no: int | Unset = 1,
    page_size: int | Unset = 10,
    api_key_id: str | Unset = UNSET,
    region: str | Unset = UNSET,
) -> Response[ErrorResponse | TaskListResponse]:
    """List this key's tasks in a time window

     Pages through the tasks created with the calling key, newest first. The window
    `start_time`..`end_time` (both `YYYYMMDDhhmmss`) spans at most 24 hours and defaults to
    the last 24 hours. Items use `status` (not `task_status`) and epoch-millisecond times.

    Args:
        task_id (str | Unset):
        start_time (str | Unset):
        end_time (str | Unset):
        model_name (str | Unset):
        status (TaskStatus | Unset): PENDING (queued), RUNNING, SUCCEEDED, FAILED, CANCELED
            (canceled while pending) or UNKNOWN
            (no such task for this key, or older than 24 hours).
        page_no (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        api_key_id (str | Unset):
        region (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TaskListResponse]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        start_time=start_time,
        end_time=end_time,
        model_name=model_name,
        status=status,
        page_no=page_no,
        page_size=page_size,
        api_key_id=api_key_id,
        region=region,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    task_id: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    model_name: str | Unset = UNSET,
    status: TaskStatus | Unset = UNSET,
    page_no: int | Unset = 1,
    page_size: int | Unset = 10,
    api_key_id: str | Unset = UNSET,
    region: str | Unset = UNSET,
) -> ErrorResponse | TaskListResponse | None:
    """List this key's tasks in a time window

     Pages through the tasks created with the calling key, newest first. The window
    `start_time`..`end_time` (both `YYYYMMDDhhmmss`) spans at most 24 hours and defaults to
    the last 24 hours. Items use `status` (not `task_status`) and epoch-millisecond times.

    Args:
        task_id (str | Unset):
        start_time (str | Unset):
        end_time (str | Unset):
        model_name (str | Unset):
        status (TaskStatus | Unset): PENDING (queued), RUNNING, SUCCEEDED, FAILED, CANCELED
            (canceled while pending) or UNKNOWN
            (no such task for this key, or older than 24 hours).
        page_no (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 10.
        api_key_id (str | Unset):
        region (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TaskListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            task_id=task_id,
            start_time=start_time,
            end_time=end_time,
            model_name=model_name,
            status=status,
            page_no=page_no,
            page_size=page_size,
            api_key_id=api_key_id,
            region=region,
        )
    ).parsed


__all__ = ["asyncio", "asyncio_detailed", "sync", "sync_detailed"]
