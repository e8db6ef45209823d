from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_upload_policy_action import GetUploadPolicyAction
from ...models.upload_policy_response import UploadPolicyResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    action: GetUploadPolicyAction,
    model: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_action = action.value
    params["action"] = json_action

    params["model"] = model

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/uploads",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UploadPolicyResponse | None:
    if response.status_code == 200:
        response_200 = UploadPolicyResponse.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | UploadPolicyResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    action: GetUploadPolicyAction,
    model: str,
) -> Response[ErrorResponse | UploadPolicyResponse]:
    """Get a temporary upload policy for a local file

     The official SDK asks for this policy before sending a local file (`file://…`) as
    `img_url`, `audio_url`, `first_frame_url` or `last_frame_url`. It then posts the file as a
    multipart form to `upload_host` with key `<upload_dir>/<file name>` and submits the task
    with `oss://<upload_dir>/<file name>` and the header `X-DashScope-OssResourceResolve:
    enable`. Uploaded files are kept for 48 hours.

    Args:
        action (GetUploadPolicyAction):
        model (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UploadPolicyResponse]
    """

    kwargs = _get_kwargs(
        action=action,
        model=model,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    action: GetUploadPolicyAction,
    model: str,
) -> ErrorResponse | UploadPolicyResponse | None:
    """Get a temporary upload policy for a local file

     The official SDK asks for this policy before sending a local file (`file://…`) as
    `img_url`, `audio_url`, `first_frame_url` or `last_frame_url`. It then posts the file as a
    multipart form to `upload_host` with key `<upload_dir>/<file name>` and submits the task
    with `oss://<upload_dir>/<file name>` and the header `X-DashScope-OssResourceResolve:
    enable`. Uploaded files are kept for 48 hours.

    Args:
        action (GetUploadPolicyAction):
        model (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UploadPolicyResponse
    """

    return sync_detailed(
        client=client,
        action=action,
        model=model,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    action: GetUploadPolicyAction,
    model: str,
) -> Response[ErrorResponse | UploadPolicyResponse]:
    """Get a temporary upload policy for a local file

     The official SDK asks for this policy before sending a local file (`file://…`) as
    `img_url`, `audio_url`, `first_frame_url` or `last_frame_url`. It then posts the file as a
    multipart form to `upload_host` with key `<upload_dir>/<file name>` and submits the task
    with `oss://<upload_dir>/<file name>` and the header `X-DashScope-OssResourceResolve:
    enable`. Uploaded files are kept for 48 hours.

    Args:
        action (GetUploadPolicyAction):
        model (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UploadPolicyResponse]
    """

    kwargs = _get_kwargs(
        action=action,
        model=model,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    action: GetUploadPolicyAction,
    model: str,
) -> ErrorResponse | UploadPolicyResponse | None:
    """Get a temporary upload policy for a local file

     The official SDK asks for this policy before sending a local file (`file://…`) as
    `img_url`, `audio_url`, `first_frame_url` or `last_frame_url`. It then posts the file as a
    multipart form to `upload_host` with key `<upload_dir>/<file name>` and submits the task
    with `oss://<upload_dir>/<file name>` and the header `X-DashScope-OssResourceResolve:
    enable`. Uploaded files are kept for 48 hours.

    Args:
        action (GetUploadPolicyAction):
        model (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UploadPolicyResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            action=action,
            model=model,
        )
    ).parsed


__all__ = ["asyncio", "asyncio_detailed", "sync", "sync_detailed"]
