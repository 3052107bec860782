"""Custom HTTP apis: ``fn(request, context)`` returns a Response, ``render(...)`` or a
JSON value."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sentinel_spec.contract.declarations import Api
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.runtime.http.calls import call_user, guarded, is_async_callable
from sentinel_spec.runtime.http.pages import PageRenderer, Rendered
from sentinel_spec.runtime.observability.context import bind_workspace
from sentinel_spec.runtime.ratelimit.enforce import check_call
from sentinel_spec.runtime.serialization import dumps
from sentinel_spec.runtime.state import RuntimeState


def api_route(
    api: Api, planned: PlannedRoute, state: RuntimeState, renderer: PageRenderer
) -> Route:
    is_async = is_async_callable(api.fn)
    owner = f"api `{api.name}`"

    async def run_api(request: Request) -> Response:
        user = await state.user_for(request, required=api.auth)
        workspace_id = request.path_params.get("workspaceId")
        bind_workspace(workspace_id)
        limit_headers = await check_call(
            state, api.name, api.rate_limit, request, user, workspace_id
        )
        async with state.unit_of_work() as scope:
            context = state.context(request, owner, api.entities, user, scope)
            result = await call_user(api.fn, is_async, request, context)
            if isinstance(result, Rendered):  # an HTML api, e.g. an email preview
                result = renderer.to_response(result, request, context)
            if not isinstance(result, Response):
                result = Response(dumps(result), media_type="application/json")
        result.headers.update(limit_headers)
        return result

    methods = list(planned.methods)
    return Route(planned.path, guarded(owner, run_api), methods=methods, name=planned.route_name)
