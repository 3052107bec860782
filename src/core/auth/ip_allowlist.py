"""A workspace's IP allowlist: CIDRs or addresses, on or off, changed by the OWNER only.

``Workspace.ipAllowlist`` is what the runtime's ``require_role`` enforces on every
workspace call (empty: from anywhere); it holds the saved entries while the allowlist is
enabled and nothing while it is off, so turning it off keeps the list. A change that
would shut out the owner making it is refused (they could never undo it).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from sentinel_spec.runtime import HttpError, client_ip
from sentinel_spec.runtime.auth.workspaces import ip_allowed
from src.core.audit.record import audit
from src.core.entities import model
from src.core.workspace.access import member_of

MAX_ENTRIES = 100


def normalise(entries: list[str]) -> list[str]:
    """Canonical, de-duplicated entries (``10.0.0.1/8`` -> ``10.0.0.0/8``); 400 naming
    each malformed one."""
    seen: list[str] = []
    problems = []
    for index, raw in enumerate(entries):
        try:
            network = ipaddress.ip_network(raw.strip(), strict=False)
        except ValueError:
            problems.append(
                {"field": f"entries.{index}", "message": f"not an IP address or CIDR: {raw!r}"}
            )
            continue
        text = str(network.network_address) if network.num_addresses == 1 else str(network)
        if text not in seen:
            seen.append(text)
    if problems:
        raise HttpError(400, "Invalid allowlist entries", problems, code="validation_error")
    if len(seen) > MAX_ENTRIES:
        raise HttpError(
            400,
            f"At most {MAX_ENTRIES} entries",
            [{"field": "entries", "message": "too many"}],
            code="validation_error",
        )
    return seen


def view(ws: Any) -> dict[str, Any]:
    return {
        "workspaceId": ws.id,
        "enabled": ws.ipAllowlistEnabled,
        "entries": list(ws.ipAllowlistEntries or []),
    }


async def get_allowlist(context: Any, workspace_id: str) -> dict[str, Any]:
    """OWNER and ADMIN see it (admins are asked about it by their members)."""
    await member_of(context, workspace_id, "ADMIN")
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    return {**view(ws), "yourIp": client_ip(context.request)}


async def set_allowlist(
    context: Any,
    workspace_id: str,
    *,
    entries: list[str] | None = None,
    enabled: bool | None = None,
) -> dict[str, Any]:
    await member_of(context, workspace_id, "OWNER")
    await context.rate_limit("workspaceUpdate")
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    before = view(ws)
    new_entries = normalise(entries) if entries is not None else list(ws.ipAllowlistEntries or [])
    new_enabled = ws.ipAllowlistEnabled if enabled is None else enabled
    if new_enabled and not new_entries:
        raise HttpError(400, "Add at least one address or network before enabling the allowlist")
    if new_enabled and not ip_allowed(client_ip(context.request), new_entries):
        raise HttpError(
            400,
            "This allowlist would lock you out: add your own address first",
            {"reason": "self_lockout", "yourIp": client_ip(context.request)},
        )
    ws.ipAllowlistEntries = new_entries
    ws.ipAllowlistEnabled = new_enabled
    ws.ipAllowlist = new_entries if new_enabled else []
    after = view(ws)
    await audit(
        context,
        workspace_id=workspace_id,
        action="WORKSPACE_SECURITY_UPDATED",
        resource="workspace",
        resource_id=workspace_id,
        description="IP allowlist changed",
        metadata={"field": "ipAllowlist", "before": before, "after": after},
    )
    return after


async def add_entry(context: Any, workspace_id: str, entry: str) -> dict[str, Any]:
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    current = list(ws.ipAllowlistEntries or []) if ws is not None else []
    return await set_allowlist(context, workspace_id, entries=[*current, entry])


async def remove_entry(context: Any, workspace_id: str, entry: str) -> dict[str, Any]:
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    current = list(ws.ipAllowlistEntries or []) if ws is not None else []
    target = normalise([entry])[0]
    if target not in current:
        await member_of(context, workspace_id, "OWNER")  # a stranger still gets 404 first
        raise HttpError(404, f"{target} is not on the allowlist")
    remaining = [e for e in current if e != target]
    enabled = None if remaining else False  # removing the last entry turns it off
    return await set_allowlist(context, workspace_id, entries=remaining, enabled=enabled)
