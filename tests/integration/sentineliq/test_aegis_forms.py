"""The Aegis pages' forms over HTTP with sessions from the real auth routes: a member
creates an alert, changes its status, opens an incident from it, opens an incident with
alerts ticked and changes it; each is the operation's own service call (the row, its
audit row, the 303). Tested as an attacker would: a viewer is drawn no form and a forged
post is 403; a stranger's real ids are the same 404 as made-up ones; a post without the
page's CSRF token or from another origin is 403; a bad enum, an over-long title or a bad
date is a 400 page with the message and what was typed, and nothing is saved."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pyotp
import pytest

from .platform_helpers import AppAndUsers, Team, audit_rows, make_team, ok, sql

pytestmark = pytest.mark.postgres

FORM_TAG = '<form method="post" action="/forms/aegis'


def csrf_token(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


async def post_form(
    client: httpx.AsyncClient,
    page_path: str,
    form_path: str,
    headers: dict[str, str],
    data: dict[str, Any],
    *,
    token: bool = True,
    origin: str = "http://testserver",
) -> httpx.Response:
    """What a browser does: load the page (its CSRF cookie and token), post the form."""
    shown = await client.get(page_path, headers=headers)
    assert shown.status_code == 200, (page_path, shown.status_code)
    fields = {**({"csrf_token": csrf_token(shown.text)} if token else {}), **data}
    return await client.post(
        form_path,
        data=fields,
        headers={
            **headers,
            "Origin": origin,
            "Cookie": f"sentinel_csrf={shown.cookies['sentinel_csrf']}",
        },
    )


async def count(url: str, table: str, workspace_id: str) -> int:
    [row] = await sql(
        url, f'SELECT count(*) AS n FROM "{table}" WHERE "workspaceId" = :w', w=workspace_id
    )
    return int(row.n)


async def alert_row(url: str, alert_id: str) -> Any:
    [row] = await sql(url, 'SELECT * FROM "Alert" WHERE id = :i', i=alert_id)
    return row


async def incident_row(url: str, incident_id: str) -> Any:
    [row] = await sql(url, 'SELECT * FROM "Incident" WHERE id = :i', i=incident_id)
    return row


def new_id(response: httpx.Response, prefix: str) -> str:
    assert response.status_code == 303, (response.status_code, response.text[:2000])
    location = response.headers["location"]
    assert location.startswith(prefix), location
    return location[len(prefix) :].split("?", 1)[0]


async def seed(client: httpx.AsyncClient, team: Team) -> tuple[dict[str, Any], dict[str, Any]]:
    ws = team.workspace_id
    alert = await ok(
        client,
        "create-alert",
        {"workspaceId": ws, "title": "Beaconing host", "source": "edr", "severity": "HIGH"},
        team["MEMBER"],
    )
    incident = await ok(
        client, "create-incident", {"workspaceId": ws, "title": "C2 traffic"}, team["MEMBER"]
    )
    return alert, incident


async def test_a_member_creates_an_alert_from_the_form(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    shown = await client.get("/aegis/alerts", headers=team["MEMBER"])
    assert 'id="new-alert-form"' in shown.text
    posted = await post_form(
        client,
        "/aegis/alerts",
        "/forms/aegis/alerts",
        team["MEMBER"],
        {
            "workspaceId": team.workspace_id,
            "title": "  Impossible travel  ",
            "source": "idp",
            "severity": "CRITICAL",
            "description": "Sign-ins from Lisbon and Osaka\nten minutes apart",
            "tags": "identity, travel,,identity",
        },
    )
    alert_id = new_id(posted, "/aegis/alerts/")
    assert posted.headers["location"] == f"/aegis/alerts/{alert_id}?done=alert"
    row = await alert_row(users.url, alert_id)
    assert row.workspaceId == team.workspace_id
    assert (row.title, row.source, row.severity, row.status) == (
        "Impossible travel",
        "idp",
        "CRITICAL",
        "NEW",
    )
    assert row.tags == ["identity", "travel"]
    assert row.description.startswith("Sign-ins from Lisbon")
    [audited] = await audit_rows(users.url, "ALERT_CREATED")
    assert audited.resourceId == alert_id and audited.userId == team.ids["MEMBER"]
    opened = await client.get(posted.headers["location"], headers=team["MEMBER"])
    assert opened.status_code == 200 and 'id="notice">Alert created.' in opened.text
    assert "Impossible travel" in opened.text
    # The optional fields may be left blank.
    bare = await post_form(
        client,
        "/aegis/alerts",
        "/forms/aegis/alerts",
        team["ADMIN"],
        {"workspaceId": team.workspace_id, "title": "Port scan", "source": "ids"},
    )
    bare_row = await alert_row(users.url, new_id(bare, "/aegis/alerts/"))
    assert (bare_row.severity, bare_row.description, bare_row.tags) == ("MEDIUM", None, [])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "x" * 201}, "title: String should have at most 200 characters"),
        ({"title": "   "}, "title: String should have at least 1 character"),
        ({"severity": "APOCALYPTIC"}, "severity: Input should be"),
        ({"source": ""}, "source: String should have at least 1 character"),
        ({"tags": "ok, " + "t" * 101}, "tags.1: String should have at most 100 characters"),
        ({"tags": ",".join(f"t{i}" for i in range(51))}, "tags: List should have at most 50"),
    ],
)
async def test_a_refused_alert_is_the_page_again_with_what_was_typed(
    app_and_users: AppAndUsers, fields: dict[str, str], message: str
) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    typed = {
        "workspaceId": team.workspace_id,
        "title": "Mail <script>alert(1)</script>",
        "source": "gateway",
        "severity": "LOW",
        "description": 'Quoted "reply" & more',
        "tags": "mail",
        **fields,
    }
    refused = await post_form(client, "/aegis/alerts", "/forms/aegis/alerts", team["MEMBER"], typed)
    assert refused.status_code == 400, refused.text[:2000]
    assert 'id="form-error"' in refused.text and message in refused.text
    assert 'id="new-alert-form"' in refused.text
    if "source" not in fields:
        assert 'value="gateway"' in refused.text  # what was typed is kept
    if "title" not in fields:
        assert "Mail &lt;script&gt;alert(1)&lt;/script&gt;" in refused.text
        assert "<script>alert(1)" not in refused.text
    if "severity" not in fields:
        assert '<option value="LOW" selected>' in refused.text
    assert "Quoted &#34;reply&#34; &amp; more" in refused.text
    assert await count(users.url, "Alert", team.workspace_id) == 0
    assert await audit_rows(users.url, "ALERT_CREATED") == []


async def test_status_change_and_an_incident_from_an_alert(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    alert, _ = await seed(client, team)
    page = f"/aegis/alerts/{alert['id']}"
    form = f"/forms/aegis/alerts/{alert['id']}"
    shown = await client.get(page, headers=team["MEMBER"])
    assert 'id="alert-status-form"' in shown.text and 'id="alert-incident-form"' in shown.text
    assert 'value="Beaconing host"' in shown.text  # the incident's title, from the alert

    changed = await post_form(
        client, page, form, team["MEMBER"], {"action": "status", "status": "ACKNOWLEDGED"}
    )
    assert changed.status_code == 303 and changed.headers["location"] == f"{page}?done=status"
    assert (await alert_row(users.url, alert["id"])).status == "ACKNOWLEDGED"
    [audited] = await audit_rows(users.url, "ALERT_UPDATED")
    assert audited.metadata == {"from": "NEW", "to": "ACKNOWLEDGED"}

    # A status the alert does not have, an unknown action: the page again, 400.
    bad = await post_form(
        client, page, form, team["MEMBER"], {"action": "status", "status": "PWNED"}
    )
    assert bad.status_code == 400 and "status: Input should be" in bad.text
    assert 'id="alert-status-form"' in bad.text
    unknown = await post_form(client, page, form, team["MEMBER"], {"action": "delete"})
    assert unknown.status_code == 400 and "Unknown action" in unknown.text
    assert (await alert_row(users.url, alert["id"])).status == "ACKNOWLEDGED"

    opened = await post_form(
        client,
        page,
        form,
        team["MEMBER"],
        {"action": "incident", "title": "Beaconing from host-17", "severity": "CRITICAL"},
    )
    incident_id = new_id(opened, "/aegis/incidents/")
    assert opened.headers["location"].endswith("?done=incident")
    incident = await incident_row(users.url, incident_id)
    assert incident.workspaceId == team.workspace_id
    assert (incident.title, incident.severity) == ("Beaconing from host-17", "CRITICAL")
    assert (await alert_row(users.url, alert["id"])).incidentId == incident_id
    created = [
        r for r in await audit_rows(users.url, "INCIDENT_CREATED") if r.resourceId == incident_id
    ]
    assert created[0].metadata["alertIds"] == [alert["id"]]
    detail = await client.get(opened.headers["location"], headers=team["MEMBER"])
    assert f'href="/aegis/alerts/{alert["id"]}"' in detail.text
    assert 'id="notice">Incident opened.' in detail.text

    # An over-long title: the alert page again, the title kept, no incident.
    before = await count(users.url, "Incident", team.workspace_id)
    long = await post_form(
        client, page, form, team["MEMBER"], {"action": "incident", "title": "y" * 201}
    )
    assert long.status_code == 400 and "title: String should have at most 200" in long.text
    assert 'value="' + "y" * 201 + '"' in long.text
    assert await count(users.url, "Incident", team.workspace_id) == before


async def test_a_new_incident_with_alerts_and_its_changes(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    alert, _ = await seed(client, team)
    shown = await client.get("/aegis/incidents", headers=team["MEMBER"])
    assert 'id="new-incident-form"' in shown.text
    assert f'name="alertIds" value="{alert["id"]}"' in shown.text  # an untriaged alert
    opened = await post_form(
        client,
        "/aegis/incidents",
        "/forms/aegis/incidents",
        team["MEMBER"],
        {
            "workspaceId": team.workspace_id,
            "title": "Ransomware precursor",
            "severity": "HIGH",
            "slaDeadline": "2026-12-31T18:00",
            "alertIds": alert["id"],
        },
    )
    incident_id = new_id(opened, "/aegis/incidents/")
    row = await incident_row(users.url, incident_id)
    assert row.slaDeadline == datetime.datetime(2026, 12, 31, 18, 0, tzinfo=datetime.UTC)
    assert (await alert_row(users.url, alert["id"])).incidentId == incident_id
    # Attached now: no longer offered.
    again = await client.get("/aegis/incidents", headers=team["MEMBER"])
    assert f'name="alertIds" value="{alert["id"]}"' not in again.text

    page = f"/aegis/incidents/{incident_id}"
    form = f"/forms/aegis/incidents/{incident_id}"
    detail = await client.get(page, headers=team["MEMBER"])
    assert 'id="incident-form"' in detail.text and 'value="2026-12-31T18:00"' in detail.text
    # The form as drawn, with only the status changed: the deadline is left alone.
    saved = await post_form(
        client,
        page,
        form,
        team["MEMBER"],
        {
            "title": "Ransomware precursor",
            "severity": "HIGH",
            "status": "RESOLVED",
            "slaDeadline": "2026-12-31T18:00",
            "slaDeadlineShown": "2026-12-31T18:00",
        },
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"{page}?done=saved"
    row = await incident_row(users.url, incident_id)
    assert row.status == "RESOLVED" and row.slaDeadline.hour == 18
    [resolved] = await audit_rows(users.url, "INCIDENT_RESOLVED")
    assert resolved.metadata == {"changed": ["status"]}
    # A new title and severity, the deadline cleared.
    cleared = await post_form(
        client,
        page,
        form,
        team["ADMIN"],
        {
            "title": "Ransomware, contained",
            "severity": "MEDIUM",
            "status": "RESOLVED",
            "slaDeadline": "",
            "slaDeadlineShown": "2026-12-31T18:00",
        },
    )
    assert cleared.status_code == 303
    row = await incident_row(users.url, incident_id)
    assert (row.title, row.severity, row.slaDeadline) == ("Ransomware, contained", "MEDIUM", None)
    [updated] = await audit_rows(users.url, "INCIDENT_UPDATED")
    assert updated.metadata == {"changed": ["severity", "slaDeadline", "title"]}


async def test_a_deadline_set_to_the_second_survives_a_status_change(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    incident = await ok(
        client,
        "create-incident",
        {
            "workspaceId": team.workspace_id,
            "title": "Exfil",
            "slaDeadline": "2026-12-31T18:00:30+00:00",
        },
        team["MEMBER"],
    )
    page = f"/aegis/incidents/{incident['id']}"
    detail = await client.get(page, headers=team["MEMBER"])
    assert 'name="slaDeadlineShown" value="2026-12-31T18:00"' in detail.text
    saved = await post_form(
        client,
        page,
        f"/forms{page}",
        team["MEMBER"],
        {
            "title": "Exfil",
            "status": "CONTAINED",
            "slaDeadline": "2026-12-31T18:00",
            "slaDeadlineShown": "2026-12-31T18:00",
        },
    )
    assert saved.status_code == 303
    row = await incident_row(users.url, incident["id"])
    assert row.status == "CONTAINED" and row.slaDeadline.second == 30


async def test_bad_incident_input_is_a_400_page_and_saves_nothing(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    _, incident = await seed(client, team)
    for fields, message in (
        ({"slaDeadline": "next tuesday"}, "SLA deadline: a date and time"),
        ({"severity": "HUGE"}, "severity: Input should be"),
        ({"title": "z" * 201}, "title: String should have at most 200"),
    ):
        typed = {"workspaceId": team.workspace_id, "title": "Lateral movement", **fields}
        refused = await post_form(
            client, "/aegis/incidents", "/forms/aegis/incidents", team["MEMBER"], typed
        )
        assert refused.status_code == 400, (fields, refused.status_code)
        assert message in refused.text and 'id="new-incident-form"' in refused.text
        assert 'value="' + typed["title"] + '"' in refused.text
    assert await count(users.url, "Incident", team.workspace_id) == 1  # the seeded one

    page = f"/aegis/incidents/{incident['id']}"
    for fields, message in (
        ({"status": "ON_FIRE"}, "status: Input should be"),
        ({"title": ""}, "title: String should have at least 1 character"),
        ({"slaDeadline": "2026-13-45T99:99"}, "SLA deadline: a date and time"),
    ):
        refused = await post_form(client, page, f"/forms{page}", team["MEMBER"], fields)
        assert refused.status_code == 400, (fields, refused.status_code)
        assert message in refused.text and 'id="incident-form"' in refused.text
    if_typed = await post_form(
        client, page, f"/forms{page}", team["MEMBER"], {"title": "New name", "status": "BAD"}
    )
    assert 'value="New name"' in if_typed.text  # kept
    row = await incident_row(users.url, incident["id"])
    assert (row.title, row.status, row.slaDeadline) == ("C2 traffic", "OPEN", None)
    assert await audit_rows(users.url, "INCIDENT_UPDATED") == []


async def test_a_viewer_sees_no_form_and_a_forged_post_is_403(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    alert, incident = await seed(client, team)
    pages = {
        "/aegis/alerts": (
            "/forms/aegis/alerts",
            {"workspaceId": team.workspace_id, "title": "Forged", "source": "x"},
        ),
        "/aegis/incidents": (
            "/forms/aegis/incidents",
            {"workspaceId": team.workspace_id, "title": "Forged", "alertIds": alert["id"]},
        ),
        f"/aegis/alerts/{alert['id']}": (
            f"/forms/aegis/alerts/{alert['id']}",
            {"action": "status", "status": "DISMISSED"},
        ),
        f"/aegis/incidents/{incident['id']}": (
            f"/forms/aegis/incidents/{incident['id']}",
            {"title": "Forged", "status": "CLOSED"},
        ),
    }
    for page_path, (form_path, data) in pages.items():
        shown = await client.get(page_path, headers=team["VIEWER"])
        assert shown.status_code == 200 and FORM_TAG not in shown.text, page_path
        member_view = await client.get(page_path, headers=team["MEMBER"])
        assert FORM_TAG in member_view.text, page_path  # the guard: members do see them
        refused = await post_form(client, page_path, form_path, team["VIEWER"], data)
        assert refused.status_code == 403, (form_path, refused.status_code)
        assert FORM_TAG not in refused.text
    incident_from_alert = await post_form(
        client,
        f"/aegis/alerts/{alert['id']}",
        f"/forms/aegis/alerts/{alert['id']}",
        team["VIEWER"],
        {"action": "incident", "title": "Forged"},
    )
    assert incident_from_alert.status_code == 403
    assert await count(users.url, "Alert", team.workspace_id) == 1
    assert await count(users.url, "Incident", team.workspace_id) == 1
    assert (await alert_row(users.url, alert["id"])).status == "NEW"
    assert (await alert_row(users.url, alert["id"])).incidentId is None
    assert (await incident_row(users.url, incident["id"])).title == "C2 traffic"
    assert await audit_rows(users.url, "ALERT_UPDATED") == []
    assert await audit_rows(users.url, "INCIDENT_UPDATED") == []


async def test_a_strangers_ids_are_404_like_missing_ones(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    alert, incident = await seed(client, team)
    # The stranger owns a workspace of their own, so every role check would pass there.
    mine = await ok(client, "create-workspace", {"name": "Mallory Inc"}, team["STRANGER"])
    stranger = team["STRANGER"]
    for target, data in (
        (f"/forms/aegis/alerts/{alert['id']}", {"action": "status", "status": "DISMISSED"}),
        (f"/forms/aegis/alerts/{alert['id']}", {"action": "incident", "title": "Mine now"}),
        (f"/forms/aegis/incidents/{incident['id']}", {"title": "Pwned", "status": "CLOSED"}),
        ("/forms/aegis/alerts/no-such-alert", {"action": "status", "status": "DISMISSED"}),
        ("/forms/aegis/incidents/no-such-incident", {"title": "Pwned"}),
    ):
        refused = await post_form(client, "/aegis/alerts", target, stranger, data)
        assert refused.status_code == 404, (target, data, refused.status_code)
        assert "Beaconing" not in refused.text and "C2 traffic" not in refused.text
    # Another workspace's alert ticked on their own new-incident form: not found, no
    # incident anywhere, the alert untouched.
    ticked = await post_form(
        client,
        "/aegis/incidents",
        "/forms/aegis/incidents",
        stranger,
        {"workspaceId": mine["id"], "title": "Grab", "alertIds": alert["id"]},
    )
    assert ticked.status_code == 404 and "Alert not found" in ticked.text
    assert 'value="Grab"' in ticked.text
    # Another workspace named in the new-alert form: refused, nothing written there.
    elsewhere = await post_form(
        client,
        "/aegis/alerts",
        "/forms/aegis/alerts",
        stranger,
        {"workspaceId": team.workspace_id, "title": "Planted", "source": "x"},
    )
    assert elsewhere.status_code == 409 and "switched to another workspace" in elsewhere.text
    assert await count(users.url, "Alert", team.workspace_id) == 1
    assert await count(users.url, "Alert", mine["id"]) == 0
    assert await count(users.url, "Incident", mine["id"]) == 0
    assert await count(users.url, "Incident", team.workspace_id) == 1
    row = await alert_row(users.url, alert["id"])
    assert (row.status, row.incidentId) == ("NEW", None)
    assert (await incident_row(users.url, incident["id"])).title == "C2 traffic"


async def test_posts_without_the_pages_token_or_from_elsewhere_are_403(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    alert, incident = await seed(client, team)
    data = {"workspaceId": team.workspace_id, "title": "CSRF", "source": "evil"}
    missing = await post_form(
        client, "/aegis/alerts", "/forms/aegis/alerts", team["MEMBER"], data, token=False
    )
    assert missing.status_code == 403
    forged = await post_form(
        client,
        "/aegis/alerts",
        "/forms/aegis/alerts",
        team["MEMBER"],
        {**data, "csrf_token": "forged.token"},
        token=False,
    )
    assert forged.status_code == 403
    cross = await post_form(
        client,
        "/aegis/alerts",
        "/forms/aegis/alerts",
        team["MEMBER"],
        data,
        origin="https://evil.example",
    )
    assert cross.status_code == 403
    for target, fields in (
        (f"/forms/aegis/alerts/{alert['id']}", {"action": "status", "status": "DISMISSED"}),
        (f"/forms/aegis/incidents/{incident['id']}", {"title": "CSRF"}),
        ("/forms/aegis/incidents", {"workspaceId": team.workspace_id, "title": "CSRF"}),
    ):
        refused = await post_form(
            client, "/aegis/alerts", target, team["MEMBER"], fields, token=False
        )
        assert refused.status_code == 403, target
    assert await count(users.url, "Alert", team.workspace_id) == 1
    assert await count(users.url, "Incident", team.workspace_id) == 1
    assert (await alert_row(users.url, alert["id"])).status == "NEW"
    assert (await incident_row(users.url, incident["id"])).title == "C2 traffic"
    # Signed out: no form is taken at all.
    anonymous = await client.post("/forms/aegis/alerts", data=data)
    assert anonymous.status_code == 401
    assert await count(users.url, "Alert", team.workspace_id) == 1


async def test_the_workspaces_two_factor_policy_holds_for_the_forms(
    app_and_users: AppAndUsers,
) -> None:
    """The forms go through the same door as the operations: with the 2FA policy on, a
    member without 2FA is refused the post (the policy's 403 page) and nothing is saved."""
    client, users = app_and_users
    team = await make_team(client, users)
    page = await client.get("/aegis/alerts", headers=team["MEMBER"])
    token, cookie = csrf_token(page.text), page.cookies["sentinel_csrf"]
    setup = await ok(client, "enable2-fa", None, team["OWNER"])
    await ok(client, "verify2-fa", {"code": pyotp.TOTP(setup["secret"]).now()}, team["OWNER"])
    await ok(
        client,
        "update-workspace-two-factor-policy",
        {"workspaceId": team.workspace_id, "requireTwoFactor": True},
        team["OWNER"],
    )
    refused = await client.post(
        "/forms/aegis/alerts",
        data={
            "csrf_token": token,
            "workspaceId": team.workspace_id,
            "title": "Sneaked in",
            "source": "x",
        },
        headers={
            **team["MEMBER"],
            "Origin": "http://testserver",
            "Cookie": f"sentinel_csrf={cookie}",
        },
    )
    assert refused.status_code == 403
    assert "requires two-factor authentication" in refused.text
    assert await count(users.url, "Alert", team.workspace_id) == 0
