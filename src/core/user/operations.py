"""User operations: the original's seven administrator operations, and the user's own
profile update."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from src.core.user import service


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserListArgs(Args):
    page: int = Field(default=1, ge=1, le=10_000)
    pageSize: int = Field(default=25, ge=1, le=100)
    search: str | None = Field(default=None, max_length=120)
    isAdmin: bool | None = None
    isSuspended: bool | None = None


class UserRef(Args):
    userId: str = Field(min_length=1, max_length=64)


class AdminFlagArgs(Args):
    id: str = Field(min_length=1, max_length=64)
    isAdmin: bool


class SuspendUserArgs(Args):
    userId: str = Field(min_length=1, max_length=64)
    suspended: bool = True
    reason: str | None = Field(default=None, max_length=500)


class ActivityArgs(Args):
    userId: str | None = Field(default=None, min_length=1, max_length=64)
    limit: int = Field(default=50, ge=1, le=200)


class ProfileArgs(Args):
    displayName: str | None = Field(default=None, min_length=1, max_length=120)
    avatarUrl: str | None = Field(default=None, max_length=2000, pattern=r"^https://\S+$")
    jobTitle: str | None = Field(default=None, max_length=120)
    # never null: the columns are required (unset fields are left as they are)
    timezone: str = Field(default="UTC", min_length=1, max_length=64)
    locale: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


async def get_paginated_users(args: UserListArgs, context: Any) -> dict[str, Any]:
    return await service.paginated_users(
        context,
        page=args.page,
        page_size=args.pageSize,
        search=args.search,
        is_admin=args.isAdmin,
        suspended=args.isSuspended,
    )


async def update_is_user_admin_by_id(args: AdminFlagArgs, context: Any) -> dict[str, Any]:
    return await service.set_admin(context, args.id, args.isAdmin)


async def suspend_user(args: SuspendUserArgs, context: Any) -> dict[str, Any]:
    return await service.suspend_user(
        context, args.userId, suspended=args.suspended, reason=args.reason
    )


async def reset_user_2fa(args: UserRef, context: Any) -> dict[str, Any]:
    return await service.reset_two_factor(context, args.userId)


async def reset_user_password(args: UserRef, context: Any) -> dict[str, Any]:
    return await service.reset_password(context, args.userId)


async def get_user_activity(args: ActivityArgs, context: Any) -> list[dict[str, Any]]:
    return await service.user_activity(context, args.userId, limit=args.limit)


async def delete_user_cascade(args: UserRef, context: Any) -> dict[str, Any]:
    return await service.delete_user(context, args.userId)


async def update_profile(args: ProfileArgs, context: Any) -> dict[str, Any]:
    return await service.update_profile(context, args.model_dump(exclude_unset=True))
