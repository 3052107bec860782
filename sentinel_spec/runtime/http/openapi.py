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


def generated_file_route(planned: PlannedRoute, path: str, media_type: str) -> Route:
    """Another file of ``generated/`` served as it is (``/client.js``)."""

    async def generated_file(request: Request) -> Response:
        if not Path(path).is_file():
            raise HttpError(404, f"{Path(path).name} has not been generated")
        return FileResponse(path, media_type=media_type)

    return Route(
        planned.path,
        guarded(planned.name, generated_file),
        methods=list(planned.methods),
        name=planned.route_name,
    )
