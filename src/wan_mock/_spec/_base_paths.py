"""Where the mock serves each part, defined once for every layer: the API under the base path of
the spec's servers (``/api/v1``) and the ``/qwen/api/v1`` the seed documents' curl commands use;
the control plane, the pages and the files under ``/__mock``. It imports nothing, so the
harness and the control commands use it with the base install (a test holds it to the specs)."""

from __future__ import annotations

__all__ = ["API_PREFIX", "API_PREFIXES", "CONTROL_PREFIX"]

#: The API's base path: the path of every server of ``wan-video.yaml``.
API_PREFIX = "/api/v1"
#: Where the API is served: the service's own base path, and the ``/qwen/api/v1`` that the seed
#: documents' curl commands use (``{{BASE_URL}}/qwen/api/v1/...``). Same views, same journal.
API_PREFIXES = (API_PREFIX, "/qwen" + API_PREFIX)
#: Where the mock's own control plane, pages and files live.
CONTROL_PREFIX = "/__mock"
