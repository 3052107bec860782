# Generated from app.sq by sentinel; do not edit.
"""A typed HTTP client of Tracker: one method per operation and api.

    with Client("http://127.0.0.1:3001", token=...) as client:
        client.get_notes()

``AsyncClient`` has the same methods, awaitable. Operations return the decoded JSON
answer; apis return the ``httpx.Response``. An error answer raises ``SentinelError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AsyncClient", "Client", "SentinelError"]

DEFAULT_BASE_URL = "http://127.0.0.1:3001"


class SentinelError(Exception):
    """An error answer: ``{"error": {"code", "message", "details", "requestId"}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.request_id = request_id


def _error(response: httpx.Response) -> SentinelError:
    try:
        body = response.json()["error"]
        return SentinelError(
            response.status_code,
            body.get("code", "error"),
            body.get("message", ""),
            body.get("details"),
            body.get("requestId"),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return SentinelError(response.status_code, "error", response.text[:200])


def _answer(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise _error(response)
    if not response.content:
        return None
    return response.json()


def _checked(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        raise _error(response)
    return response


def _dump(args: Any) -> Any:
    if isinstance(args, BaseModel):
        return args.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return args


def _headers(token: str | None, extra: Any) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return {**headers, **dict(extra or {})}


class GreetingArgs(BaseModel):
    """Who to greet, and how."""

    name: str
    excited: bool = Field(default=False)
    tone: Literal["plain", "warm"] = Field(default="plain")
    times: int = Field(default=1)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class Owner(BaseModel):
    email: str
    name: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class NewTask(BaseModel):
    title: str
    priority: str | None = Field(default=None)
    tags: list[str] = Field(default=[])
    due: date | None = Field(default=None)
    owner: Owner | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TasksGetArgs(BaseModel):
    id: int

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TasksGetAllArgs(BaseModel):
    limit: int = Field(default=50)
    offset: int = Field(default=0)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


Priority = Literal["LOW", "NORMAL", "HIGH"]


class TasksCreateArgs(BaseModel):
    title: str
    done: bool | None = Field(default=None)
    priority: Priority | None = Field(default=None)
    ownerId: str | None = Field(default=None)
    createdAt: datetime | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TasksUpdateArgs(BaseModel):
    title: str | None = Field(default=None)
    done: bool | None = Field(default=None)
    priority: Priority | None = Field(default=None)
    ownerId: str | None = Field(default=None)
    createdAt: datetime | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TasksDeleteArgs(BaseModel):
    id: int

    model_config = ConfigDict(populate_by_name=True, extra="allow")


GreetingArgs.model_rebuild()
Owner.model_rebuild()
NewTask.model_rebuild()
TasksGetArgs.model_rebuild()
TasksGetAllArgs.model_rebuild()
TasksCreateArgs.model_rebuild()
TasksUpdateArgs.model_rebuild()
TasksDeleteArgs.model_rebuild()


class Client:
    """Sync client; ``http`` may be your own ``httpx.Client`` (cookies, transport)."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token: str | None = None,
        http: httpx.Client | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.http = http or httpx.Client(base_url=base_url, timeout=timeout)
        self.token = token

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = _headers(self.token, kwargs.pop("headers", None))
        return self.http.request(method, path, headers=headers, **kwargs)

    def get_greeting(
        self,
        args: GreetingArgs | Mapping[str, Any],
    ) -> Any:
        """query getGreeting: GET/POST /operations/get-greeting"""
        response = self.request("POST", "/operations/get-greeting", json=_dump(args))
        return _answer(response)

    def get_tasks(
        self,
        args: None = None,
    ) -> Any:
        """query getTasks: GET/POST /operations/get-tasks"""
        response = self.request("POST", "/operations/get-tasks", json=_dump(args))
        return _answer(response)

    def create_task(
        self,
        args: NewTask | Mapping[str, Any],
    ) -> Any:
        """action createTask: POST /operations/create-task"""
        response = self.request("POST", "/operations/create-task", json=_dump(args))
        return _answer(response)

    def fail_with_http_error(
        self,
        args: Any = None,
    ) -> Any:
        """action failWithHttpError: POST /operations/fail-with-http-error"""
        response = self.request("POST", "/operations/fail-with-http-error", json=_dump(args))
        return _answer(response)

    def crash(
        self,
        args: Any = None,
    ) -> Any:
        """action crash: POST /operations/crash"""
        response = self.request("POST", "/operations/crash", json=_dump(args))
        return _answer(response)

    def tasks_get(
        self,
        args: TasksGetArgs | Mapping[str, Any],
    ) -> Any:
        """crud Tasks.get: GET/POST /crud/tasks/get"""
        response = self.request("POST", "/crud/tasks/get", json=_dump(args))
        return _answer(response)

    def tasks_get_all(
        self,
        args: TasksGetAllArgs | Mapping[str, Any] | None = None,
    ) -> Any:
        """crud Tasks.getAll: GET/POST /crud/tasks/get-all"""
        response = self.request("POST", "/crud/tasks/get-all", json=_dump(args))
        return _answer(response)

    def tasks_create(
        self,
        args: TasksCreateArgs | Mapping[str, Any],
    ) -> Any:
        """crud Tasks.create: POST /crud/tasks/create"""
        response = self.request("POST", "/crud/tasks/create", json=_dump(args))
        return _answer(response)

    def tasks_update(
        self,
        args: TasksUpdateArgs | Mapping[str, Any],
    ) -> Any:
        """crud Tasks.update: POST /crud/tasks/update"""
        response = self.request("POST", "/crud/tasks/update", json=_dump(args))
        return _answer(response)

    def tasks_delete(
        self,
        args: TasksDeleteArgs | Mapping[str, Any],
    ) -> Any:
        """crud Tasks.delete: POST /crud/tasks/delete"""
        response = self.request("POST", "/crud/tasks/delete", json=_dump(args))
        return _answer(response)

    def ping(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api ping: GET /api/ping"""
        response = self.request(
            "GET",
            "/api/ping",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def echo_item(
        self,
        item_id: str | int,
        *,
        method: str = "GET",
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api echoItem: ALL /api/items/{itemId}"""
        response = self.request(
            method,
            f"/api/items/{quote(str(item_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def admin_stats(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api adminStats: GET /api/admin/stats"""
        response = self.request(
            "GET",
            "/api/admin/stats",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)


class AsyncClient:
    """Async client; ``http`` may be your own ``httpx.AsyncClient``."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token: str | None = None,
        http: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.http = http or httpx.AsyncClient(base_url=base_url, timeout=timeout)
        self.token = token

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = _headers(self.token, kwargs.pop("headers", None))
        return await self.http.request(method, path, headers=headers, **kwargs)

    async def get_greeting(
        self,
        args: GreetingArgs | Mapping[str, Any],
    ) -> Any:
        """query getGreeting: GET/POST /operations/get-greeting"""
        response = await self.request("POST", "/operations/get-greeting", json=_dump(args))
        return _answer(response)

    async def get_tasks(
        self,
        args: None = None,
    ) -> Any:
        """query getTasks: GET/POST /operations/get-tasks"""
        response = await self.request("POST", "/operations/get-tasks", json=_dump(args))
        return _answer(response)

    async def create_task(
        self,
        args: NewTask | Mapping[str, Any],
    ) -> Any:
        """action createTask: POST /operations/create-task"""
        response = await self.request("POST", "/operations/create-task", json=_dump(args))
        return _answer(response)

    async def fail_with_http_error(
        self,
        args: Any = None,
    ) -> Any:
        """action failWithHttpError: POST /operations/fail-with-http-error"""
        response = await self.request("POST", "/operations/fail-with-http-error", json=_dump(args))
        return _answer(response)

    async def crash(
        self,
        args: Any = None,
    ) -> Any:
        """action crash: POST /operations/crash"""
        response = await self.request("POST", "/operations/crash", json=_dump(args))
        return _answer(response)

    async def tasks_get(
        self,
        args: TasksGetArgs | Mapping[str, Any],
    ) -> Any:
        """crud Tasks.get: GET/POST /crud/tasks/get"""
        response = await self.request("POST", "/crud/tasks/get", json=_dump(args))
        return _answer(response)

    async def tasks_get_all(
        self,
        args: TasksGetAllArgs | Mapping[str, Any] | None = None,
    ) -> Any:
        """crud Tasks.getAll: GET/POST /crud/tasks/get-all"""
        response = await self.request("POST", "/crud/tasks/get-all", json=_dump(args))
        return _answer(response)

    async def tasks_create(
        self,
        args: TasksCreateArgs | Mapping[str, Any],
    ) -> Any:
        """crud Tasks.create: POST /crud/tasks/create"""
        response = await self.request("POST", "/crud/tasks/create", json=_dump(args))
        return _answer(response)

    async def tasks_update(
        self,
        args: TasksUpdateArgs | Mapping[str, Any],
    ) -> Any:
        """crud Tasks.update: POST /crud/tasks/update"""
        response = await self.request("POST", "/crud/tasks/update", json=_dump(args))
        return _answer(response)

    async def tasks_delete(
        self,
        args: TasksDeleteArgs | Mapping[str, Any],
    ) -> Any:
        """crud Tasks.delete: POST /crud/tasks/delete"""
        response = await self.request("POST", "/crud/tasks/delete", json=_dump(args))
        return _answer(response)

    async def ping(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api ping: GET /api/ping"""
        response = await self.request(
            "GET",
            "/api/ping",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def echo_item(
        self,
        item_id: str | int,
        *,
        method: str = "GET",
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api echoItem: ALL /api/items/{itemId}"""
        response = await self.request(
            method,
            f"/api/items/{quote(str(item_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def admin_stats(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api adminStats: GET /api/admin/stats"""
        response = await self.request(
            "GET",
            "/api/admin/stats",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)
