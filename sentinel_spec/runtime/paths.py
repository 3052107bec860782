"""URL path pieces the runtime serves and the compiler documents (openapi.json,
``sentinel routes``); a module of constants so the compiler can read them cheaply."""

from __future__ import annotations

from collections.abc import Mapping

# The last path segment of each crud operation: ``/crud/<route_name>/<segment>``.
CRUD_SEGMENTS: Mapping[str, str] = {
    "get": "get",
    "getAll": "get-all",
    "create": "create",
    "update": "update",
    "delete": "delete",
}
