"""``sentinel import-wasp`` on real Wasp apps (committed extracts) and hand-written ones.

Each conversion must check with the compiler, stub every function with the right
signature, and list each construct it left behind with its file:line:col.
"""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import pytest

from sentinel_spec import load_spec
from sentinel_spec.importer import import_wasp
from sentinel_spec.importer.convert import python_module
from sentinel_spec.importer.prisma import read_prisma
from sentinel_spec.importer.values import WaspSyntaxError, WDict, WImport, WRef
from sentinel_spec.importer.wasp_dsl import read_wasp
from sentinel_spec.importer.wasp_ts import read_wasp_ts

DATA = Path(__file__).resolve().parents[2] / "data" / "wasp"


def notes_of(result: object) -> set[tuple[int, str]]:
    return {(n.pos.line, n.what) for n in result.notes}  # type: ignore[attr-defined]


def functions(path: Path) -> dict[str, str]:
    """Top-level function name -> its first parameter list, as written."""
    tree = pyast.parse(path.read_text())
    return {
        n.name: pyast.unparse(n.args)
        for n in tree.body
        if isinstance(n, pyast.FunctionDef | pyast.AsyncFunctionDef)
    }


def test_open_saas_converts_and_checks(tmp_path: Path) -> None:
    result = import_wasp(DATA / "open-saas", tmp_path)
    assert result.errors == []
    spec = load_spec(tmp_path / "app.sq")
    assert spec.app.name == "OpenSaaS" and spec.app.auth is not None
    assert spec.app.auth.user_entity == "User"
    assert {e.name for e in spec.entities} >= {"User", "Task", "GptResponse", "DailyStats"}
    assert len(spec.operations) == 16 and len(spec.jobs) == 1 and len(spec.apis) == 1
    (job,) = spec.jobs
    assert job.schedule is not None and job.schedule.cron == "0 * * * *"
    assert spec.app.email_sender is not None and spec.app.email_sender.provider == "Console"
    webhook = tmp_path / "src" / "payment" / "webhook.py"
    assert functions(webhook) == {
        "payments_webhook": "request: Any, context: Any",
        "payments_middleware_config_fn": "middleware: dict[str, Any]",
    }
    seeds = functions(tmp_path / "src" / "server" / "scripts" / "db_seeds.py")
    assert seeds == {"seed_mock_users": "session: Any"}
    assert notes_of(result) >= {
        (2, "app.wasp"),
        (8, "app.head"),
        (82, "app.client"),
        (87, "app.server.envValidationSchema"),
        (105, "route LandingPageRoute: prerender"),
        (307, "route NotFoundRoute (*)"),
        (1, "datasource db"),
    }
    listed = [str(n) for n in result.notes]
    assert "main.wasp:8:3: not carried over: app.head: " in listed[1]


def test_kitchen_sink_every_kind(tmp_path: Path) -> None:
    result = import_wasp(DATA / "kitchen-sink", tmp_path)
    assert result.errors == []
    spec = load_spec(tmp_path / "app.sq")
    assert [c.name for c in spec.cruds] == ["tasks"]
    assert {o.op for o in spec.cruds[0].operations} == {
        "get",
        "getAll",
        "create",
        "update",
        "delete",
    }
    assert [n.name for n in spec.api_namespaces] == ["bar"]
    assert {a.name: (a.method, a.path) for a in spec.apis} == {
        "fooBar": ("ALL", "/foo/bar"),
        "webhookCallback": ("POST", "/webhook/callback"),
    }
    assert spec.app.web_socket is not None
    assert [s.name for s in spec.app.db.seeds] == ["dev_seed_simple", "prod_seed"]
    scheduled = next(j for j in spec.jobs if j.name == "mySpecialScheduledJob")
    assert scheduled.schedule is not None and scheduled.schedule.args == {"foo": "bar"}
    crud = functions(tmp_path / "src" / "features" / "crud" / "crud.py")
    assert crud == {
        "get_all_tasks": "args: Any, context: Any",
        "create_task": "args: Any, context: Any",
    }
    login = functions(tmp_path / "src" / "features" / "auth" / "pages" / "login.py")
    assert login == {"login": "request: Any, context: Any"}  # a default import
    assert notes_of(result) >= {
        (17, "app.auth.methods.slack"),
        (60, "app.db.prismaSetupFn"),
        (73, "page HomePage: ssr"),
        (129, "job mySpecialScheduledJob: schedule.executorOptions"),
    }


def test_wasp_config_typescript(tmp_path: Path) -> None:
    result = import_wasp(DATA / "hand-written-config", tmp_path)
    assert result.errors == []
    spec = load_spec(tmp_path / "app.sq")
    assert spec.app.name == "notesApp"
    assert {r.name: r.to for r in spec.routes} == {
        "RootRoute": "MainPage",
        "VerifyRoute": "VerifyPage",
        "ResetRoute": "ResetPage",
    }
    (api,) = spec.apis
    assert (api.method, api.path) == ("GET", "/api/notes/:id/export")
    (job,) = spec.jobs
    assert job.options.retry_limit == 3 and job.options.retry_delay_seconds == 30
    assert job.schedule is not None and job.schedule.args == {"days": 30}
    assert spec.app.email_sender is not None and spec.app.email_sender.provider == "SendGrid"
    setup = functions(tmp_path / "src" / "server" / "setup.py")
    assert setup == {"setup": "app: Any"}
    note = next(n for n in result.notes if "configureAdmin" in n.why)
    assert (note.pos.file, note.pos.line, note.pos.column) == ("main.wasp.ts", 69, 1)
    assert notes_of(result) >= {
        (19, "app.auth.methods.usernameAndPassword"),
        (59, "job purgeOldNotes: perform.executorOptions.pgBoss.onComplete"),
        (9, "User.email @unique"),
        (11, "User.tags <-> Tag.users"),
        (12, "User.legacy"),
        (19, "Note.body @default"),
        (20, "Note.labels @default"),
        (21, "Note.author @relation(onUpdate: ...)"),
        (24, "Note.secret"),
        (26, "Note @@index updatedAt(...)"),
        (27, "Note @@unique"),
        (28, "Note @@schema"),
    }
    note_entity = next(e for e in spec.entities if e.name == "Note")
    assert "secret" not in {f.name for f in note_entity.fields}
    assert note_entity.indexes == (("authorId", "updatedAt"),)


def test_wasp_spec_typescript_of_0_24(tmp_path: Path) -> None:
    result = import_wasp(DATA / "hand-written-spec", tmp_path)
    assert result.errors == []
    spec = load_spec(tmp_path / "app.sq")
    assert spec.app.name == "TaskBoard"
    assert [o.name for o in spec.operations] == ["getTasks", "createTask", "updateTask"]
    assert functions(tmp_path / "src" / "main_page.py") == {
        "main_page": "request: Any, context: Any"
    }
    assert any("billingSpec" in n.why and n.pos.line == 18 for n in result.notes)


def test_legacy_main_wasp_with_psl_entities_and_server_imports(tmp_path: Path) -> None:
    result = import_wasp(DATA / "hand-written-legacy", tmp_path)
    assert result.errors == []
    spec = load_spec(tmp_path / "app.sq")
    assert [e.name for e in spec.entities] == ["Incident"]
    assert [(r.name, r.to) for r in spec.routes] == [("Home", "Dashboard")]
    assert [o.name for o in spec.actions] == ["openIncident"]
    assert functions(tmp_path / "src" / "server" / "incidents.py") == {
        "list_incidents": "args: Any, context: Any",
        "open_incident": "args: Any, context: Any",
    }
    renamed = [n for n in result.notes if n.changed]
    assert {n.what for n in renamed} == {
        "the name `home`",
        "the name `dashboard`",
        "the name `OpenIncident`",
    }


def test_existing_functions_are_kept(tmp_path: Path) -> None:
    module = tmp_path / "src" / "server" / "incidents.py"
    module.parent.mkdir(parents=True)
    module.write_text("def list_incidents(args, context):\n    return ['mine']\n")
    result = import_wasp(DATA / "hand-written-legacy", tmp_path)
    assert (module, "list_incidents") in result.stubs.existing
    assert "return ['mine']" in module.read_text()


def test_python_module_paths() -> None:
    assert python_module("@src/auth/email-and-pass/emails") == "@src/auth/email_and_pass/emails"
    assert python_module("@src/client/MainPage.tsx") == "@src/client/main_page"
    assert python_module("@server/jobs/escalate.js") == "@src/server/jobs/escalate"
    assert python_module("./src/actions") == "@src/actions"
    assert python_module("react") is None


def test_readers_keep_positions_and_refuse_bad_syntax() -> None:
    (app, page) = read_wasp(
        'app A {\n  title: "A",\n}\npage P { component: import Main from "@src/Main" }', "main.wasp"
    )
    assert (app.pos.line, app.pos.column) == (1, 1)
    assert isinstance(page.value, WDict)
    component = page.value.get("component")
    assert isinstance(component, WImport) and component.default and component.name == "Main"
    with pytest.raises(WaspSyntaxError) as bad:
        read_wasp('app A {\n  title "A"\n}', "main.wasp")
    assert (bad.value.pos.line, bad.value.pos.column) == (2, 9)
    source = read_wasp_ts(
        "import { App } from 'wasp-config'\nconst app = new App('a', { title: 't' })\n"
        "const p = app.page('P', { component: { import: 'X', from: '@src/x' } })\n"
        "app.route('R', { path: '/', to: p })\nexport default app\n",
        "main.wasp.ts",
    )
    route = next(d for d in source.decls if d.kind == "route")
    assert isinstance(route.value, WDict) and route.value.get("to") == WRef(
        "P", route.value.get("to").pos
    )  # type: ignore[union-attr]
    assert source.problems == []
    schema = read_prisma(
        'model M {\n  id Int @id\n  @@map("m")\n}\nenum E { A B }\n', "schema.prisma"
    )
    assert [f.name for f in schema.models[0].fields] == ["id"]
    assert schema.models[0].attributes[0].pos.line == 3
    assert schema.enums[0].members == ["A", "B"]
