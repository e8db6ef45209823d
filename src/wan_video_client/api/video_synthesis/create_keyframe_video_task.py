from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_keyframe_video_task_x_dash_scope_async import (
    CreateKeyframeVideoTaskXDashScopeAsync,
)
from ...models.error_response import ErrorResponse
from ...models.keyframe_to_video_request import KeyframeToVideoRequest
from ...models.oss_resource_resolve import OssResourceResolve
from ...models.task_submit_response import TaskSubmitResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: KeyframeToVideoRequest,
    x_dash_scope_async: CreateKeyframeVideoTaskXDashScopeAsync = CreateKeyframeVideoTaskXDashScopeAsync.ENABLE,
    x_dash_scope_oss_resource_resolve: OssResourceResolve | Unset = UNSET,
    x_dash_scope_work_space: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-DashScope-Async"] = str(x_dash_scope_async)

    if not isinstance(x_dash_scope_oss_resource_resolve, Unset):
        headers["X-DashScope-OssResourceResolve"] = str(x_dash_scope_oss_resource_resolve)

    if not isinstance(x_dash_scope_work_space, Unset):
        headers["X-DashScope-WorkSpace"] = x_dash_scope_work_space

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/services/aigc/image2video/video-synthesis",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TaskSubmitResponse | None:
    if response.status_code == 200:
        response_200 = TaskSubmitResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

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
) -> Response[ErrorResponse | TaskSubmitResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: KeyframeToVideoRequest,
    x_dash_scope_async: CreateKeyframeVideoTaskXDashScopeAsync = CreateKeyframeVideoTaskXDashScopeAsync.ENABLE,
    x_dash_scope_oss_resource_resolve: OssResourceResolve | Unset = UNSET,
    x_dash_scope_work_space: str | Unset = UNSET,
) -> Response[ErrorResponse | TaskSubmitResponse]:
    """Submit a first/last-frame image-to-video task

     Creates an asynchronous task that animates from `input.first_frame_url` towards the
    optional `input.last_frame_url` (models `wan2.2-kf2v-flash`, `wanx2.1-kf2v-plus`,
    `wan2.1-kf2v-plus`). The official SDK sends every model whose name contains `kf2v` here.

    Args:
        x_dash_scope_async (CreateKeyframeVideoTaskXDashScopeAsync):  Default:
            CreateKeyframeVideoTaskXDashScopeAsync.ENABLE.
        x_dash_scope_oss_resource_resolve (OssResourceResolve | Unset): Asks the service to
            resolve `oss://` inputs uploaded through `GET /uploads`.
        x_dash_scope_work_space (str | Unset):
        body (KeyframeToVideoRequest): Image-to-video from a first and an optional last frame
            (`*-kf2v-*` models).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TaskSubmitResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_dash_scope_async=x_dash_scope_async,
        x_dash_scope_oss_resource_resolve=x_dash_scope_oss_resource_resolve,
        x_dash_scope_work_space=x_dash_scope_work_space,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: KeyframeToVideoRequest,
    x_dash_scope_async: CreateKeyframeVideoTaskXDashScopeAsync = CreateKeyframeVideoTaskXDashScopeAsync.ENABLE,
    x_dash_scope_oss_resource_resolve: OssResourceResolve | Unset = UNSET,
    x_dash_scope_work_space: str | Unset = UNSET,
) -> ErrorResponse | TaskSubmitResponse | None:
    """Submit a first/last-frame image-to-video task

     Creates an asynchronous task that animates from `input.first_frame_url` towards the
    optional `input.last_frame_url` (models `wan2.2-kf2v-flash`, `wanx2.1-kf2v-plus`,
    `wan2.1-kf2v-plus`). The official SDK sends every model whose name contains `kf2v` here.

    Args:
        x_dash_scope_async (CreateKeyframeVideoTaskXDashScopeAsync):  Default:
            CreateKeyframeVideoTaskXDashScopeAsync.ENABLE.
        x_dash_scope_oss_resource_resolve (OssResourceResolve | Unset): Asks the service to
            resolve `oss://` inputs uploaded through `GET /uploads`.
        x_dash_scope_work_space (str | Unset):
        body (KeyframeToVideoRequest): Image-to-video from a first and an optional last frame
            (`*-kf2v-*` models).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TaskSubmitResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        x_dash_scope_async=x_dash_scope_async,
        x_dash_scope_oss_resource_resolve=x_dash_scope_oss_resource_resolve,
        x_dash_scope_work_space=x_dash_scope_work_space,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: KeyframeToVideoRequest,
    x_dash_scope_async: CreateKeyframeVideoTaskXDashScopeAsync = CreateKeyframeVideoTaskXDashScopeAsync.ENABLE,
    x_dash_scope_oss_resource_resolve: OssResourceResolve | Unset = UNSET,
    x_dash_scope_work_space: str | Unset = UNSET,
) -> Response[ErrorResponse | TaskSubmitResponse]:
    """Submit a first/last-frame image-to-video task

     Creates an asynchronous task that animates from `input.first_frame_url` towards the
    optional `input.last_frame_url` (models `wan2.2-kf2v-flash`, `wanx2.1-kf2v-plus`,
    `wan2.1-kf2v-plus`). The official SDK sends every model whose name contains `kf2v` here.

    Args:
        x_dash_scope_async (CreateKeyframeVideoTaskXDashScopeAsync):  Default:
            CreateKeyframeVideoTaskXDashScopeAsync.ENABLE.
        x_dash_scope_oss_resource_resolve (OssResourceResolve | Unset): Asks the service to
            resolve `oss://` inputs uploaded through `GET /uploads`.
        x_dash_scope_work_space (str | Unset):
        body (KeyframeToVideoRequest): Image-to-video from a first and an optional last frame
            (`*-kf2v-*` models).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TaskSubmitResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_dash_scope_async=x_dash_scope_async,
        x_dash_scope_oss_resource_resolve=x_dash_scope_oss_resource_resolve,
        x_dash_scope_work_space=x_dash_scope_work_space,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: KeyframeToVideoRequest,
    x_dash_scope_async: CreateKeyframeVideoTaskXDashScopeAsync = CreateKeyframeVideoTaskXDashScopeAsync.ENABLE,
    x_dash_scope_oss_resource_resolve: OssResourceResolve | Unset = UNSET,
    x_dash_scope_work_space: str | Unset = UNSET,
) -> ErrorResponse | TaskSubmitResponse | None:
    """Submit a first/last-frame image-to-video task

     Creates an asynchronous task that animates from `input.first_frame_url` towards the
    optional `input.last_frame_url` (models `wan2.2-kf2v-flash`, `wanx2.1-kf2v-plus`,
    `wan2.1-kf2v-plus`). The official SDK sends every model whose name contains `kf2v` here.

    Args:
        x_dash_scope_async (CreateKeyframeVideoTaskXDashScopeAsync):  Default:
            CreateKeyframeVideoTaskXDashScopeAsync.ENABLE.
        x_dash_scope_oss_resource_resolve (OssResourceResolve | Unset): Asks the service to
            resolve `oss://` inputs uploaded through `GET /uploads`.
        x_dash_scope_work_space (str | Unset):
        body (KeyframeToVideoRequest): Image-to-video from a first and an optional last frame
            (`*-kf2v-*` models).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TaskSubmitResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_dash_scope_async=x_dash_scope_async,
            x_dash_scope_oss_resource_resolve=x_dash_scope_oss_resource_resolve,
            x_dash_scope_work_space=x_dash_scope_work_space,
        )
    ).parsed


__all__ = ["asyncio", "asyncio_detailed", "sync", "sync_detailed"]
