"""Contact-form operations."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from src.core.messages import service


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SendArgs(Args):
    content: str = Field(min_length=1, max_length=5000, pattern=r"\S")


class ListArgs(Args):
    page: int = Field(default=1, ge=1, le=10_000)
    pageSize: int = Field(default=25, ge=1, le=100)
    unreadOnly: bool = False


class MessageRef(Args):
    id: str = Field(min_length=1, max_length=64)


class ReadArgs(MessageRef):
    isRead: bool = True


async def get_contact_messages(args: ListArgs, context: Any) -> dict[str, Any]:
    return await service.list_messages(
        context, page=args.page, page_size=args.pageSize, unread_only=args.unreadOnly
    )


async def send_contact_message(args: SendArgs, context: Any) -> dict[str, Any]:
    return await service.send_message(context, args.content)


async def mark_message_as_read(args: ReadArgs, context: Any) -> dict[str, Any]:
    return await service.mark_read(context, args.id, args.isRead)


async def mark_message_as_replied(args: MessageRef, context: Any) -> dict[str, Any]:
    return await service.mark_replied(context, args.id)


async def delete_contact_message(args: MessageRef, context: Any) -> dict[str, Any]:
    return await service.delete_message(context, args.id)
