"""``generated/client.py`` and ``generated/client.js``: typed clients of the app's HTTP API.

One method per operation (queries, actions, crud) and api, at the path and method of
the route plan. Argument types come from the same static reading of the developer's
code that writes ``openapi.json`` (``build_document``): an operation whose first
parameter is annotated with a pydantic model gets that model, rebuilt here from its
JSON Schema, so the client never imports ``src/``; crud operations get models of their
entity's fields; anything not known statically is ``Any``.

``client.py`` has ``Client`` (httpx, sync) and ``AsyncClient`` with the same methods;
errors (the runtime's JSON error shape) raise ``SentinelError``. ``client.js`` is an
ES module for the app's pages, served at ``/client.js`` (``contract.routes.client_js``):
``import { getCases } from "/client.js"``.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from sentinel_spec.appspec import AppSpec
from sentinel_spec.contract.names import path_params, snake
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator.drafts import HEADER, FileDraft

JsonSchema = dict[str, Any]
OPERATION_KINDS = ("query", "action", "crud")
_RESERVED_METHODS = {"close", "aclose", "request"}
_JS_RESERVED = frozenset(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "let",
        "static",
        "await",
        "implements",
        "interface",
        "package",
        "private",
        "protected",
        "public",
        "arguments",
        "eval",
    ]
)
_FORMATS = {"date-time": "datetime", "date": "date", "time": "time", "uuid": "UUID"}


@dataclass(frozen=True)
class Call:
    """One client method: an operation (JSON body) or an api (any request)."""

    name: str  # the declaration: getCases, Cases.getAll, health
    kind: str  # query, action, crud, api
    method: str  # what the client sends
    path: str  # Starlette form, {param}
    args_type: str  # Python annotation of the arguments (operations)
    summary: str
    methods: tuple[str, ...] = ()  # an api's methods (ALL: several)


@dataclass
class _Types:
    """Python types for JSON Schemas, with the pydantic models and aliases they need."""

    components: dict[str, JsonSchema]
    models: dict[str, str] = field(default_factory=dict)  # name -> class source
    order: list[str] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)

    def of(self, schema: JsonSchema, name_hint: str) -> str:
        if not schema:
            return "Any"
        if "$ref" in schema:
            return self.component(schema["$ref"].rsplit("/", 1)[-1])
        if "anyOf" in schema:
            options = [self.of(s, name_hint) for s in schema["anyOf"]]
            unique = list(dict.fromkeys(options))
            return "Any" if "Any" in unique else " | ".join(unique)
        kind = schema.get("type")
        if "enum" in schema:
            return "Literal[" + ", ".join(json.dumps(v) for v in schema["enum"]) + "]"
        if kind == "string":
            python = _FORMATS.get(schema.get("format", ""), "str")
            if python != "str":
                self.imports.add(python)
            return python
        if kind in ("integer", "number", "boolean", "null"):
            return {"integer": "int", "number": "float", "boolean": "bool", "null": "None"}[kind]
        if kind == "array":
            return f"list[{self.of(schema.get('items', {}), name_hint + 'Item')}]"
        if kind == "object" and schema.get("properties"):
            return self.model(name_hint, schema)
        if kind == "object":
            return "dict[str, Any]"
        return "Any"

    def component(self, name: str) -> str:
        schema = self.components.get(name, {})
        if name in self.models:
            return name
        if "enum" in schema:
            self.models[name] = f"{name} = {self.of(schema, name)}\n"
            self.order.append(name)
            return name
        if schema.get("type") == "object" and schema.get("properties"):
            return self.model(name, schema)
        return self.of(schema, name) if schema else "Any"

    def model(self, name: str, schema: JsonSchema) -> str:
        if name in self.models:
            return name
        self.models[name] = ""  # reserve the name: a model may refer to itself
        required = set(schema.get("required", []))
        lines = [f"class {name}(BaseModel):"]
        if schema.get("description"):
            doc = str(schema["description"]).replace("\\", "\\\\").replace('"""', '\\"""')
            lines += [f'    """{doc}"""', ""]
        for prop, prop_schema in schema.get("properties", {}).items():
            annotation = self.of(prop_schema, name + prop[:1].upper() + prop[1:])
            attribute = _python_name(prop)
            alias = f', alias="{prop}"' if attribute != prop else ""
            if prop in required:
                default = f" = Field({alias[2:]})" if alias else ""
            elif "default" in prop_schema:
                default = f" = Field(default={_py_literal(prop_schema['default'])}{alias})"
            else:
                if annotation != "Any" and "None" not in annotation.split(" | "):
                    annotation += " | None"
                default = f" = Field(default=None{alias})"
            lines.append(f"    {attribute}: {annotation}{default}")
        if len(lines) == 1:
            lines.append("    pass")
        lines.append("")
        lines.append('    model_config = ConfigDict(populate_by_name=True, extra="allow")')
        self.models[name] = "\n".join(lines) + "\n"
        self.order.append(name)
        return name


def _py_literal(value: Any) -> str:
    """A JSON value as Python source, in the quotes ``ruff format`` uses."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{_py_literal(k)}: {_py_literal(v)}" for k, v in value.items()) + "}"
        )
    return repr(value)


def _python_name(name: str) -> str:
    cleaned = re.sub(r"\W", "_", name)
    return cleaned + "_" if keyword.iskeyword(cleaned) or cleaned[:1].isdigit() else cleaned


def calls(spec: AppSpec, types: _Types, document: dict[str, Any]) -> list[Call]:
    from sentinel_spec.generator.features import route_plan

    found: list[Call] = []
    for planned in route_plan(spec):
        if planned.kind in OPERATION_KINDS:
            found.append(_operation_call(planned, types, document))
        elif planned.kind == "api":
            summary = (
                f"api {planned.name}: {planned.method_label or planned.methods[0]} {planned.path}"
            )
            methods = tuple(m for m in planned.methods if m != "OPTIONS")
            found.append(Call(planned.name, "api", methods[0], planned.path, "", summary, methods))
    return found


def _operation_call(planned: PlannedRoute, types: _Types, document: dict[str, Any]) -> Call:
    post = document["paths"].get(planned.path, {}).get("post", {})
    schema = post.get("requestBody", {}).get("content", {}).get("application/json", {})
    hint = "".join(p[:1].upper() + p[1:] for p in re.split(r"[._]", planned.name)) + "Args"
    args_type = types.of(schema.get("schema", {}), hint)
    methods = "/".join(planned.methods)
    summary = f"{planned.kind} {planned.name}: {methods} {planned.path}"
    return Call(planned.name, planned.kind, "POST", planned.path, args_type, summary)


def method_names(found: list[Call]) -> dict[str, str]:
    """A Python method name for each call: snake_case, unique, never an internal one."""
    names: dict[str, str] = {}
    taken: set[str] = set(_RESERVED_METHODS)
    for call in found:
        base = _python_name(snake(call.name.replace(".", "_")))
        name = base if base not in taken else base + "_"
        while name in taken:
            name += "_"
        taken.add(name)
        names[call.name] = name
    return names


def generate(spec: AppSpec) -> list[FileDraft]:
    from sentinel_spec.generator.openapi import build_document

    document = build_document(spec)
    types = _Types(document["components"]["schemas"])
    found = calls(spec, types, document)
    return [
        FileDraft("client.py", python_client(spec, found, types)),
        FileDraft("client.js", javascript_client(spec, found)),
    ]


# ---------------------------------------------------------------- client.py


def python_client(spec: AppSpec, found: list[Call], types: _Types) -> str:
    names = method_names(found)
    sync_methods = [_python_method(c, names[c.name], False) for c in found]
    async_methods = [_python_method(c, names[c.name], True) for c in found]
    models = "\n\n".join(types.models[name] for name in types.order)
    rebuilt = [n for n in types.order if types.models[n].startswith("class ")]
    return "".join(
        [
            HEADER,
            f'"""A typed HTTP client of {spec.app.name}: one method per operation and api.\n',
            _PY_DOC,
            _python_imports(found, types),
            _PY_HELPERS,
            f"\n\n{models}" if models else "",
            "\n\n" + "".join(f"{name}.model_rebuild()\n" for name in rebuilt) if rebuilt else "",
            _PY_SYNC,
            "".join(f"\n{m}" for m in sync_methods),
            _PY_ASYNC,
            "".join(f"\n{m}" for m in async_methods),
        ]
    )


_PY_DOC = '''
    with Client("http://127.0.0.1:3001", token=...) as client:
        client.get_notes()

``AsyncClient`` has the same methods, awaitable. Operations return the decoded JSON
answer; apis return the ``httpx.Response``. An error answer raises ``SentinelError``.
"""
'''


def _python_imports(found: list[Call], types: _Types) -> str:
    sources = "".join(types.models.values()) + "".join(c.args_type for c in found)
    has_api = any(c.kind == "api" for c in found)
    uses_mapping = has_api or any(
        c.kind in OPERATION_KINDS and any(_is_model_type(p) for p in c.args_type.split(" | "))
        for c in found
    )
    stdlib = ["from __future__ import annotations", ""]
    if uses_mapping:
        stdlib.append("from collections.abc import Mapping")
    times = sorted(n for n in types.imports if n in ("date", "datetime", "time"))
    if times:
        stdlib.append(f"from datetime import {', '.join(times)}")
    typing = ["Any", *(["Literal"] if "Literal[" in sources else [])]
    stdlib.append(f"from typing import {', '.join(typing)}")
    if any(_api_params(c) for c in found if c.kind == "api"):
        stdlib.append("from urllib.parse import quote")
    if "UUID" in types.imports:
        stdlib.append("from uuid import UUID")
    has_classes = any(types.models[n].startswith("class ") for n in types.order)
    pydantic = ["BaseModel", *(["ConfigDict", "Field"] if has_classes else [])]
    third = ["import httpx", f"from pydantic import {', '.join(pydantic)}"]
    return "\n" + "\n".join(stdlib) + "\n\n" + "\n".join(third) + "\n"


def _is_model_type(annotation: str) -> bool:
    return annotation.isidentifier() and annotation not in (
        "Any",
        "None",
        "str",
        "int",
        "float",
        "bool",
    )


def _api_params(call: Call) -> list[str]:
    return path_params(call.path.replace("{", ":").replace("}", ""))


_PY_HELPERS = '''
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
'''

_PY_SYNC = '''

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
'''

_PY_ASYNC = '''

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
'''


def _python_method(call: Call, name: str, is_async: bool) -> str:
    """One method, laid out as ``ruff format`` leaves it (exploded, trailing commas)."""
    prefix = "async def" if is_async else "def"
    wait = "await " if is_async else ""
    if call.kind in OPERATION_KINDS:
        parts = call.args_type.split(" | ")
        if any(_is_model_type(p) for p in parts):  # a model, or a plain dict of its fields
            parts.insert(len([p for p in parts if p != "None"]), "Mapping[str, Any]")
        annotation = " | ".join(parts)
        optional = annotation == "Any" or "None" in parts
        param = f"args: {annotation}" + (" = None" if optional else "")
        send = f'self.request("{call.method}", "{call.path}", json=_dump(args))'
        if len(f"        response = {wait}{send}") > 100:
            send = (
                f'self.request(\n            "{call.method}",\n            "{call.path}",\n'
                "            json=_dump(args),\n        )"
            )
        return (
            f"    {prefix} {name}(\n        self,\n        {param},\n    ) -> Any:\n"
            f'        """{call.summary}"""\n'
            f"        response = {wait}{send}\n"
            "        return _answer(response)\n"
        )
    params = _api_params(call)
    arguments = "".join(f"        {_python_name(snake(p))}: str | int,\n" for p in params)
    path = call.path
    for p in params:
        path = path.replace("{" + p + "}", "{quote(str(" + _python_name(snake(p)) + "), safe='')}")
    target = f'f"{path}"' if params else f'"{path}"'
    method = f'"{call.method}"'
    extra = ""
    if len(call.methods) > 1:
        extra = f'        method: str = "{call.method}",\n'
        method = "method"
    return (
        f"    {prefix} {name}(\n        self,\n{arguments}        *,\n{extra}"
        "        json: Any = None,\n"
        "        params: Mapping[str, Any] | None = None,\n"
        "        content: bytes | None = None,\n"
        "        headers: Mapping[str, str] | None = None,\n"
        "    ) -> httpx.Response:\n"
        f'        """{call.summary}"""\n'
        f"        response = {wait}self.request(\n"
        f"            {method},\n"
        f"            {target},\n"
        "            json=json,\n"
        "            params=params,\n"
        "            content=content,\n"
        "            headers=headers,\n"
        "        )\n"
        "        return _checked(response)\n"
    )


# ---------------------------------------------------------------- client.js


def javascript_client(spec: AppSpec, found: list[Call]) -> str:
    operations = [c for c in found if c.kind in ("query", "action")]
    cruds: dict[str, list[Call]] = {}
    for call in found:
        if call.kind == "crud":
            cruds.setdefault(call.name.split(".")[0], []).append(call)
    apis = [c for c in found if c.kind == "api"]
    body = []
    for call in operations:
        body.append(
            f"/** {call.summary} */\n"
            f'export const {_js_name(call.name)} = (args) => call("{call.path}", args);\n'
        )
    for crud, members in cruds.items():
        entries = "".join(
            f'  {c.name.split(".")[1]}: (args) => call("{c.path}", args),\n' for c in members
        )
        body.append(f"/** crud {crud} */\nexport const {_js_name(crud)} = {{\n{entries}}};\n")
    for call in apis:
        params = path_params(call.path.replace("{", ":").replace("}", ""))
        path = call.path
        for p in params:
            path = path.replace("{" + p + "}", "${encodeURIComponent(params." + p + ")}")
        body.append(
            f"/** {call.summary}; resolves to the fetch Response */\n"
            f"export const {_js_name(call.name)} = (params = {{}}, init = {{}}) =>\n"
            f'  send(`{path}`, {{ method: "{call.method}", ...init }});\n'
        )
    exports = "\n".join(body)
    return f"""// Generated from app.sq by sentinel; do not edit.
// The operations and apis of {spec.app.name}, for the scripts of its pages:
//   <script type="module">
//     import {{ SentinelError }} from "/client.js";
//   </script>
// Served at /client.js. Calls send the page's session cookie; an error answer rejects
// with a SentinelError (status, code, message, details, requestId).

const settings = {{ baseUrl: globalThis.SENTINEL_BASE_URL ?? "", token: null }};

/** Change where calls go and the bearer token they send (default: same origin, cookie). */
export function configure({{ baseUrl, token }} = {{}}) {{
  if (baseUrl !== undefined) settings.baseUrl = baseUrl;
  if (token !== undefined) settings.token = token;
}}

export class SentinelError extends Error {{
  constructor(status, error = {{}}) {{
    super(error.message ?? `HTTP ${{status}}`);
    this.name = "SentinelError";
    this.status = status;
    this.code = error.code ?? "error";
    this.details = error.details;
    this.requestId = error.requestId;
  }}
}}

async function send(path, init = {{}}) {{
  const headers = {{ ...(init.headers ?? {{}}) }};
  if (settings.token) headers.Authorization = `Bearer ${{settings.token}}`;
  const response = await fetch(settings.baseUrl + path, {{
    credentials: "same-origin",
    ...init,
    headers,
  }});
  if (response.status >= 400) {{
    let error = {{}};
    try {{
      error = (await response.clone().json()).error ?? {{}};
    }} catch {{
      error = {{ message: await response.text() }};
    }}
    throw new SentinelError(response.status, error);
  }}
  return response;
}}

async function call(path, args) {{
  const response = await send(path, {{
    method: "POST",
    headers: {{ "Content-Type": "application/json" }},
    body: JSON.stringify(args === undefined ? null : args),
  }});
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}}

{exports}"""


def _js_name(name: str) -> str:
    return name + "_" if name in _JS_RESERVED else name
