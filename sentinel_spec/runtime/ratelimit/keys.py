"""What a limit counts under: one rule for every limit (docs/security.md, Rate limits).

- ``by: ip``: the client's address behind trusted proxies (``middleware.proxies``), an
  IPv6 client by its /64;
- ``by: user``: the signed-in user's id; an anonymous caller falls back to its IP;
- ``by: workspace``: the ``workspaceId`` at the top level of the call's JSON arguments (or
  an api's ``workspaceId`` path parameter); a call naming none falls back to the user.

Counters are namespaced by app name and database (``sentinel:rl:<app>:<db hash>``), so
instances serving one database share a budget while staging and production can share one
Redis; ``RATE_LIMIT_PREFIX`` replaces that namespace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sentinel_spec.contract.declarations import RateLimit
from sentinel_spec.runtime.middleware.proxies import client_ip, rate_limit_ip_key
from sentinel_spec.runtime.observability import context as request_context

DEFAULT_KEY_PREFIX = "sentinel:rl"


def key_prefix(app_name: str, environ: Mapping[str, str]) -> str:
    explicit = environ.get("RATE_LIMIT_PREFIX", "").strip()
    if explicit:
        return explicit
    database = environ.get("DATABASE_URL", "").strip()
    prefix = f"{DEFAULT_KEY_PREFIX}:{app_name}"
    if database:
        prefix += ":" + hashlib.sha256(database.encode()).hexdigest()[:12]
    return prefix


def ip_key(conn: Any) -> str:
    return "ip:" + rate_limit_ip_key(client_ip(conn))


def user_key(user: Any, conn: Any) -> str:
    user_id = getattr(user, "id", None) if user is not None else None
    if user_id is None:
        info = request_context.current()
        user_id = info.user_id if info is not None else None
    if user_id is None:
        return ip_key(conn) if conn is not None else "anonymous"
    return f"user:{user_id}"


def workspace_key(workspace_id: str | None, user: Any, conn: Any) -> str:
    if workspace_id is None:
        info = request_context.current()
        workspace_id = info.workspace_id if info is not None else None
    if workspace_id is None:
        return user_key(user, conn)
    return f"workspace:{str(workspace_id)[:128]}"


def key_for(
    rule: RateLimit, *, conn: Any, user: Any = None, workspace_id: str | None = None
) -> str:
    if rule.by == "user":
        return user_key(user, conn)
    if rule.by == "workspace":
        return workspace_key(workspace_id, user, conn)
    return ip_key(conn)
