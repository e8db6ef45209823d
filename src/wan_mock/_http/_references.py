"""The API references: the specs as this mock serves them, the Swagger UI pages that render
them, and the static files those pages (and the console) load.

- ``/openapi.yaml`` and ``/openapi.json`` serve ``openapi/wan-video.yaml``, ``/__mock/openapi.*``
  serve ``openapi/mock-control.yaml``: the document ``spec.py`` parsed (never parsed again),
  with this mock's own server first in ``servers`` (the origin the document was fetched from)
  and the documented servers after it, so the page's "Try it out" calls this mock. Each
  rendering is cached per server URL (a bounded cache: the origin comes from the request's
  ``Host``).
- ``/docs`` and ``/__mock/docs`` are Swagger UI pages for those documents. Swagger UI is
  vendored from the pinned npm package ``swagger-ui-dist`` (``tools/vendor_swagger_ui.py``,
  recorded in ``_static/VENDORED.json``); the page loads only ``/__mock/assets/…`` and its
  spec, and its Content-Security-Policy lets it reach nothing but this mock.
- ``/__mock/assets/<name>`` serves the files of ``_static`` by flat name (a name that is not a
  file there, or of a type not in :data:`CONTENT_TYPES`, is :class:`~wan_mock.errors.NotFound`).

No Flask here: ``app.py`` renders a :class:`Document` as a response.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .._spec._documents import ApiSpec, ControlSpec
from .._spec._errors import NotFound

__all__ = [
    "ASSETS",
    "CONTENT_TYPES",
    "PAGE_POLICY",
    "STATIC",
    "Document",
    "Reference",
    "ServedSpec",
    "asset",
]

#: The folder of static files (flat: no subfolders are served).
STATIC = Path(__file__).resolve().parent / "_static"
#: Where they are served.
ASSETS = "/__mock/assets/"
#: The content type of each kind of file in ``_static``, by the end of its name; a file of any
#: other kind is not served.
CONTENT_TYPES: Mapping[str, str] = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".LICENSE": "text/plain; charset=utf-8",
    ".NOTICE": "text/plain; charset=utf-8",
}
#: What a reference page may load and call: this mock only (Swagger UI styles elements inline
#: and draws its icons from ``data:`` URIs; a response's media is shown from ``blob:``).
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
_REAL_STATIC = STATIC.resolve()
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
#: The description of the server this mock adds first to a spec it serves.
_HERE = "This mock, at the address this document was fetched from."
#: How many server URLs (origins) each spec keeps renderings for.
_ORIGINS = 16


@dataclass(frozen=True)
class Document:
    """A file as served: its bytes, content type and strong ETag (unquoted: a hash of the
    bytes)."""

    body: bytes
    content_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, content_type: str) -> Document:
        return cls(body, content_type, hashlib.sha256(body).hexdigest()[:32])


#: libyaml's emitter when PyYAML has it; no anchors (a subtree used twice is written twice).
_DUMPER: type[yaml.SafeDumper] = type(
    "_Dumper",
    (getattr(yaml, "CSafeDumper", yaml.SafeDumper),),
    {"ignore_aliases": lambda self, data: True},
)


class ServedSpec:
    """One parsed spec as this mock serves it, for a given server URL of this mock."""

    def __init__(self, document: Mapping[str, Any], *, here: str) -> None:
        self._document = document
        self._here = here
        self.title = str(document.get("info", {}).get("title", "API reference"))
        self._render = functools.lru_cache(maxsize=_ORIGINS)(self._rendered)

    def document(self, server: str) -> dict[str, Any]:
        """The spec with ``server`` (this mock, as the client reached it) first in
        ``servers``, then the documented servers (but one with that same URL)."""
        documented = [s for s in self._document.get("servers", []) if s.get("url") != server]
        return {
            **self._document,
            "servers": [{"url": server, "description": self._here}, *documented],
        }

    def json(self, server: str) -> Document:
        return self._render(server, "json")

    def yaml(self, server: str) -> Document:
        return self._render(server, "yaml")

    def _rendered(self, server: str, form: str) -> Document:
        document = self.document(server)
        if form == "json":
            text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
            return Document.of(text.encode("utf-8"), "application/json")
        text = yaml.dump(document, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)
        return Document.of(text.encode("utf-8"), "application/yaml")

    def page(self, spec_url: str, *, yaml_url: str, control_token: str | None = None) -> str:
        """The Swagger UI page for the document at ``spec_url`` (same origin). Swagger UI
        starts from ``_static/docs.js``; ``control_token`` (the one the caller was admitted
        with, for the control spec) is handed to it for the page's own requests."""
        token = (
            ""
            if control_token is None
            else f'<meta name="wan-mock-control-token" content="{html.escape(control_token)}">\n'
        )
        links = "\n".join(
            f'<a href="{page}"{_CURRENT if document == spec_url else ""}>{label}</a>'
            for label, page, document in _PAGES
        )
        return _PAGE.format(
            title=html.escape(self.title),
            token=token,
            assets=ASSETS,
            links=links,
            spec_url=html.escape(spec_url),
            yaml_url=html.escape(yaml_url),
        )


#: The bar above each reference: (label, page, the spec document the page renders).
_PAGES = (
    ("API reference", "/docs", "/openapi.json"),
    ("Control API", "/__mock/docs", "/__mock/openapi.json"),
    ("Console", "/__mock/console", None),
)
_CURRENT = ' aria-current="page"'

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · wan-mock</title>
{token}<link rel="icon" type="image/png" href="{assets}swagger-ui-favicon-32x32.png">
<link rel="stylesheet" href="{assets}swagger-ui.css">
<link rel="stylesheet" href="{assets}docs.css">
<script src="{assets}swagger-ui-bundle.js" defer></script>
<script src="{assets}docs.js" defer></script>
</head>
<body>
<header class="wan-mock-bar">
<span class="brand">wan-mock</span>
<nav>
{links}
</nav>
<span class="spec">this spec: <a href="{yaml_url}">YAML</a> · <a href="{spec_url}">JSON</a></span>
</header>
<main id="swagger-ui" data-spec-url="{spec_url}"></main>
<noscript><p>The reference needs JavaScript; the spec itself is
<a href="{yaml_url}">YAML</a> or <a href="{spec_url}">JSON</a>.</p></noscript>
</body>
</html>
"""


@dataclass(frozen=True)
class Reference:
    """Both specs as served: the API and the control plane."""

    api: ServedSpec
    control: ServedSpec

    @classmethod
    def of(cls, spec: ApiSpec, control_spec: ControlSpec) -> Reference:
        return cls(
            api=ServedSpec(spec.document, here=_HERE),
            control=ServedSpec(control_spec.document, here=_HERE + " Its root."),
        )


# ---------------------------------------------------------------------- static files
def asset(name: str) -> Document:
    """The file ``name`` of ``_static`` (a flat name: no folders, no dot files)."""
    content_type = CONTENT_TYPES.get(Path(name).suffix)
    path = STATIC / name
    if content_type is None or _NAME.fullmatch(name) is None or not path.is_file():
        raise NotFound(f"The mock has no asset '{name}'.")
    if path.resolve().parent != _REAL_STATIC:  # a link out of the folder
        raise NotFound(f"The mock has no asset '{name}'.")
    found = path.stat()
    return _read(path, found.st_mtime_ns, found.st_size, content_type)


@functools.lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int, size: int, content_type: str) -> Document:
    """A file's bytes, read again only when it changed (its time or size)."""
    return Document.of(path.read_bytes(), content_type)
