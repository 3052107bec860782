"""Task operations backed by the database."""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from pydantic import BaseModel, Field
from sqlalchemy import select

from src.core.schemas import Owner


class NewTask(BaseModel):
    title: str = Field(min_length=1, max_length=200, description="What to do")
    priority: Optional[str] = None  # noqa: UP045 (the schema reader must handle it)
    tags: list[str] = []
    due: date | None = None
    owner: Owner | None = None


async def get_tasks(args: None, context: Any) -> list[Any]:
    Task = context.entities.Task
    result = await context.session.execute(select(Task).order_by(Task.id))
    return list(result.scalars())


async def create_task(args: NewTask, context: Any) -> Any:
    task = context.entities.Task(title=args.title)
    context.session.add(task)
    await context.session.flush()
    return task
