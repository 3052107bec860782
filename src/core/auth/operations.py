"""Two-factor and IP-allowlist operations (the original's core/auth ones): validated
arguments, then two_factor.py / ip_allowlist.py."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from src.core.auth import ip_allowlist, two_factor


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CodeArgs(Args):
    code: str = Field(min_length=6, max_length=32)


class DisableArgs(Args):
    code: str = Field(min_length=6, max_length=32)
    password: str | None = Field(default=None, max_length=1024)


class AllowlistRef(Args):
    workspaceId: str = Field(min_length=1, max_length=64)


class AllowlistArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    entries: list[
        Annotated[
            str,
            Field(
                pattern=r"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}(/(3[0-2]|[12]?[0-9]))?|(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:(:[0-9a-fA-F]{1,4}){1,6}|:((:[0-9a-fA-F]{1,4}){1,7}|:))(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$"
            ),
        ]
    ] = Field(max_length=100)
    enabled: bool | None = None


# entries and entry: an IPv4 or IPv6 address or CIDR, written out as a literal pattern (the
# build reads schemas from the source) that matches exactly what ipaddress.ip_network
# accepts, so a schema-valid entry is never refused.
class EntryArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    entry: str = Field(
        pattern=r"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}(/(3[0-2]|[12]?[0-9]))?|(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:(:[0-9a-fA-F]{1,4}){1,6}|:((:[0-9a-fA-F]{1,4}){1,7}|:))(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$"
    )


class ToggleArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    enabled: bool


async def enable_2fa(args: None, context: Any) -> dict[str, str]:
    """Step one: a pending secret and its QR code (the original named it enable)."""
    return await two_factor.start_setup(context)


async def verify_2fa(args: CodeArgs, context: Any) -> dict[str, Any]:
    return await two_factor.confirm(context, args.code)


async def disable_2fa(args: DisableArgs, context: Any) -> dict[str, Any]:
    return await two_factor.disable(context, args.password, args.code)


async def generate_new_2fa_backup_codes(args: CodeArgs, context: Any) -> dict[str, Any]:
    return await two_factor.regenerate_backup_codes(context, args.code)


async def get_workspace_ip_whitelist(args: AllowlistRef, context: Any) -> dict[str, Any]:
    return await ip_allowlist.get_allowlist(context, args.workspaceId)


async def update_workspace_ip_whitelist(args: AllowlistArgs, context: Any) -> dict[str, Any]:
    return await ip_allowlist.set_allowlist(
        context, args.workspaceId, entries=args.entries, enabled=args.enabled
    )


async def add_ip_to_whitelist(args: EntryArgs, context: Any) -> dict[str, Any]:
    return await ip_allowlist.add_entry(context, args.workspaceId, args.entry)


async def remove_ip_from_whitelist(args: EntryArgs, context: Any) -> dict[str, Any]:
    return await ip_allowlist.remove_entry(context, args.workspaceId, args.entry)


async def toggle_ip_whitelist(args: ToggleArgs, context: Any) -> dict[str, Any]:
    return await ip_allowlist.set_allowlist(context, args.workspaceId, enabled=args.enabled)
