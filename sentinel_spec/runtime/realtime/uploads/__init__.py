"""Uploads (``app.uploads``): ``endpoint`` (the streaming ``POST``), ``sniff`` (types from
bytes), ``storage`` (local folder, S3-compatible), ``sigv4`` (S3 request signing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.routing import Route

from sentinel_spec.contract.declarations import UploadsDecl


def upload_route(decl: UploadsDecl, state: Any, realtime: Any, environ: Mapping[str, str]) -> Route:
    """The upload endpoint of an app, its storage chosen by ``UPLOAD_STORAGE``."""
    from sentinel_spec.runtime.realtime.tables import define_realtime_tables
    from sentinel_spec.runtime.realtime.uploads.endpoint import upload_route as route
    from sentinel_spec.runtime.realtime.uploads.storage import storage_from_env

    metadata = state.decl.metadata
    if metadata is None:
        raise RuntimeError("app.uploads needs a database: declare at least one entity")
    tables = define_realtime_tables(metadata)
    return route(decl, state, realtime, storage_from_env(environ), tables.files)
