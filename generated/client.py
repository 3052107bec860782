# Generated from app.sq by sentinel; do not edit.
"""A typed HTTP client of SentinelIQ: one method per operation and api.

    with Client("http://127.0.0.1:3001", token=...) as client:
        client.get_notes()

``AsyncClient`` has the same methods, awaitable. Operations return the decoded JSON
answer; apis return the ``httpx.Response``. An error answer raises ``SentinelError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
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


class CreateWorkspaceArgs(BaseModel):
    name: str
    slug: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class UpdateWorkspaceArgs(BaseModel):
    id: str
    name: str | None = Field(default=None)
    ipAllowlist: list[str] | None = Field(default=None)
    sessionTimeoutMins: int | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class WorkspaceRef(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TechniquesGetArgs(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TechniquesGetAllArgs(BaseModel):
    limit: int = Field(default=50)
    offset: int = Field(default=0)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


CreateWorkspaceArgs.model_rebuild()
UpdateWorkspaceArgs.model_rebuild()
WorkspaceRef.model_rebuild()
TechniquesGetArgs.model_rebuild()
TechniquesGetAllArgs.model_rebuild()


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

    def get_workspaces(
        self,
        args: None = None,
    ) -> Any:
        """query getWorkspaces: GET/POST /operations/get-workspaces"""
        response = self.request("POST", "/operations/get-workspaces", json=_dump(args))
        return _answer(response)

    def create_workspace(
        self,
        args: CreateWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action createWorkspace: POST /operations/create-workspace"""
        response = self.request("POST", "/operations/create-workspace", json=_dump(args))
        return _answer(response)

    def update_workspace(
        self,
        args: UpdateWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspace: POST /operations/update-workspace"""
        response = self.request("POST", "/operations/update-workspace", json=_dump(args))
        return _answer(response)

    def delete_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action deleteWorkspace: POST /operations/delete-workspace"""
        response = self.request("POST", "/operations/delete-workspace", json=_dump(args))
        return _answer(response)

    def techniques_get(
        self,
        args: TechniquesGetArgs | Mapping[str, Any],
    ) -> Any:
        """crud Techniques.get: GET/POST /crud/techniques/get"""
        response = self.request("POST", "/crud/techniques/get", json=_dump(args))
        return _answer(response)

    def techniques_get_all(
        self,
        args: TechniquesGetAllArgs | Mapping[str, Any] | None = None,
    ) -> Any:
        """crud Techniques.getAll: GET/POST /crud/techniques/get-all"""
        response = self.request("POST", "/crud/techniques/get-all", json=_dump(args))
        return _answer(response)

    def email_preview(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api emailPreview: GET /api/email-preview"""
        response = self.request(
            "GET",
            "/api/email-preview",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def screenshot(
        self,
        alert_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api screenshot: GET /api/screenshot/{alertId}"""
        response = self.request(
            "GET",
            f"/api/screenshot/{quote(str(alert_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def onboarding_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api onboardingForm: POST /onboarding"""
        response = self.request(
            "POST",
            "/onboarding",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def assets(
        self,
        name: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api assets: GET /assets/{name}"""
        response = self.request(
            "GET",
            f"/assets/{quote(str(name), safe='')}",
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

    async def get_workspaces(
        self,
        args: None = None,
    ) -> Any:
        """query getWorkspaces: GET/POST /operations/get-workspaces"""
        response = await self.request("POST", "/operations/get-workspaces", json=_dump(args))
        return _answer(response)

    async def create_workspace(
        self,
        args: CreateWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action createWorkspace: POST /operations/create-workspace"""
        response = await self.request("POST", "/operations/create-workspace", json=_dump(args))
        return _answer(response)

    async def update_workspace(
        self,
        args: UpdateWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspace: POST /operations/update-workspace"""
        response = await self.request("POST", "/operations/update-workspace", json=_dump(args))
        return _answer(response)

    async def delete_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action deleteWorkspace: POST /operations/delete-workspace"""
        response = await self.request("POST", "/operations/delete-workspace", json=_dump(args))
        return _answer(response)

    async def techniques_get(
        self,
        args: TechniquesGetArgs | Mapping[str, Any],
    ) -> Any:
        """crud Techniques.get: GET/POST /crud/techniques/get"""
        response = await self.request("POST", "/crud/techniques/get", json=_dump(args))
        return _answer(response)

    async def techniques_get_all(
        self,
        args: TechniquesGetAllArgs | Mapping[str, Any] | None = None,
    ) -> Any:
        """crud Techniques.getAll: GET/POST /crud/techniques/get-all"""
        response = await self.request("POST", "/crud/techniques/get-all", json=_dump(args))
        return _answer(response)

    async def email_preview(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api emailPreview: GET /api/email-preview"""
        response = await self.request(
            "GET",
            "/api/email-preview",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def screenshot(
        self,
        alert_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api screenshot: GET /api/screenshot/{alertId}"""
        response = await self.request(
            "GET",
            f"/api/screenshot/{quote(str(alert_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def onboarding_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api onboardingForm: POST /onboarding"""
        response = await self.request(
            "POST",
            "/onboarding",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def assets(
        self,
        name: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api assets: GET /assets/{name}"""
        response = await self.request(
            "GET",
            f"/assets/{quote(str(name), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)
