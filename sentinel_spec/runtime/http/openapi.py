"""``GET /openapi.json``: the document the generator wrote into ``generated/``."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.http.calls import guarded


def openapi_route(planned: PlannedRoute, document: str) -> Route:
    async def openapi(request: Request) -> Response:
        if not Path(document).is_file():
            raise HttpError(404, "openapi.json has not been generated")
        return FileResponse(document, media_type="application/json")

    return Route(
        planned.path, guarded("openapi", openapi), methods=list(planned.methods), name="openapi"
    )
