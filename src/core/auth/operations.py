"""Two-factor and IP-allowlist operations (the original's core/auth ones): validated
arguments, then two_factor.py / ip_allowlist.py."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from src.core.auth import ip_allowlist, two_factor

Id = Annotated[str, Field(min_length=1, max_length=64)]
Code = Annotated[str, Field(min_length=6, max_length=32)]
Entry = Annotated[str, Field(min_length=1, max_length=64)]


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CodeArgs(Args):
    code: Code


class DisableArgs(Args):
    code: Code
    password: str | None = Field(default=None, max_length=1024)


class WorkspaceRef(Args):
    workspaceId: Id


class AllowlistArgs(Args):
    workspaceId: Id
    entries: list[Entry] = Field(max_length=100)
    enabled: bool | None = None


class EntryArgs(Args):
    workspaceId: Id
    entry: Entry


class ToggleArgs(Args):
    workspaceId: Id
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


async def get_workspace_ip_whitelist(args: WorkspaceRef, context: Any) -> dict[str, Any]:
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
