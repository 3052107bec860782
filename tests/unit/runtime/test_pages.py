"""Pages: str, Response and render() results; auth_required redirects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from sentinel_spec.contract.declarations import AppDecl, AuthDecl, Page
from sentinel_spec.runtime import render
from sentinel_spec.runtime.context import Context
from tests.in_process import serve


def home(request: Request, context: Context) -> str:
    return "<h1>home</h1>"


async def raw(request: Request, context: Context) -> Any:
    return PlainTextResponse("plain", status_code=202)


async def hello(request: Request, context: Context) -> Any:
    return render("hello.html", {"name": request.path_params["name"]})


async def dashboard(request: Request, context: Context) -> str:
    return "secret dashboard"


def make_decl(templates: Path) -> AppDecl:
    return AppDecl(
        name="T",
        title="T",
        pages=(
            Page(name="Home", path="/", component=home),
            Page(name="Raw", path="/raw", component=raw),
            Page(name="Hello", path="/hello/{name}", component=hello),
            Page(name="Dashboard", path="/dashboard", component=dashboard, auth_required=True),
        ),
        auth=AuthDecl(user_model=None, on_auth_failed_redirect_to="/login"),
        templates_dir=str(templates),
    )


async def test_page_results(tmp_path: Path) -> None:
    (tmp_path / "hello.html").write_text("<p>Hello {{ name }} ({{ user }})</p>")
    async with serve(make_decl(tmp_path)) as client:
        home_page = await client.get("/")
        assert home_page.text == "<h1>home</h1>"
        assert home_page.headers["content-type"].startswith("text/html")
        assert home_page.headers["x-frame-options"] == "DENY"

        raw_page = await client.get("/raw")
        assert (raw_page.status_code, raw_page.text) == (202, "plain")

        rendered = await client.get("/hello/<b>bob")
        assert rendered.text == "<p>Hello &lt;b&gt;bob (None)</p>"  # autoescaped


async def test_auth_required_page_redirects_without_user(tmp_path: Path) -> None:
    async with serve(make_decl(tmp_path)) as client:
        response = await client.get("/dashboard")
        assert response.status_code == 302
        assert response.headers["location"] == "/login"


async def test_openapi_served_from_file(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text('{"openapi": "3.1.0"}')
    decl = AppDecl(name="T", title="T", openapi_path=str(spec))
    async with serve(decl) as client:
        assert (await client.get("/openapi.json")).json() == {"openapi": "3.1.0"}
    spec.unlink()
    async with serve(decl) as client:
        assert (await client.get("/openapi.json")).status_code == 404


async def preview(request: Request, context: Context) -> Any:
    return render("hello.html", {"name": "api"}, status=201)


async def test_an_api_may_answer_with_a_template(tmp_path: Path) -> None:
    from sentinel_spec.contract.declarations import Api

    (tmp_path / "hello.html").write_text("<p>Hello {{ name }}</p>")
    decl = AppDecl(
        name="T",
        title="T",
        apis=(Api(name="preview", method="GET", path="/preview", fn=preview),),
        templates_dir=str(tmp_path),
    )
    async with serve(decl) as client:
        response = await client.get("/preview")
        assert (response.status_code, response.text) == (201, "<p>Hello api</p>")
        assert response.headers["content-type"].startswith("text/html")


def test_dict_keys_read_as_attributes_as_jinja_reads_them(tmp_path: Path) -> None:
    """The page environment looks a plain dict's key up before its attributes (speed);
    what a template shows is what plain Jinja shows."""
    import jinja2

    from sentinel_spec.runtime.http.pages import template_environment

    source = (
        "{{ row.name }}|{{ row.missing is undefined }}|{{ row.items()|list|length }}|"
        "{{ row.keys is callable }}|{{ obj.name }}|{{ sub.name }}|{{ sub.copy is callable }}"
    )
    (tmp_path / "t.html").write_text(source)

    class Obj:
        name = "<obj>"

    class Sub(dict[str, str]):
        name = "attribute"

    data = {"row": {"name": "<b>", "keys": "shadowed"}, "obj": Obj(), "sub": Sub(name="key")}
    ours = template_environment(str(tmp_path)).get_template("t.html").render(data)
    plain = (
        jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True)
        .get_template("t.html")
        .render(data)
    )
    assert ours == plain == "&lt;b&gt;|True|2|True|&lt;obj&gt;|attribute|True"
