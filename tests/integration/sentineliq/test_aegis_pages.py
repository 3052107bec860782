"""The Aegis pages over HTTP with sessions from the real auth routes: the current
workspace's alerts and incidents, an alert's and an incident's page; members see them,
a stranger gets the 404 page for a real id as for a made-up one, and the links the
notifications carry open a page."""

from __future__ import annotations

import pytest

from .platform_helpers import AppAndUsers, call, make_team, ok

pytestmark = pytest.mark.postgres


async def test_members_see_alerts_and_incidents_and_strangers_do_not(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    phish = await ok(
        client,
        "create-alert",
        {"workspaceId": ws, "title": "Phishing <kit>", "source": "mail", "severity": "HIGH"},
        team["MEMBER"],
    )
    scan = await ok(
        client,
        "create-alert",
        {"workspaceId": ws, "title": "Port scan", "source": "ids"},
        team["MEMBER"],
    )
    incident = await ok(
        client,
        "create-incident",
        {
            "workspaceId": ws,
            "title": "Credential theft",
            "severity": "CRITICAL",
            "alertIds": [phish["id"]],
        },
        team["ADMIN"],
    )

    # A viewer reads everything (lists newest first, titles escaped).
    alerts = await client.get("/aegis/alerts", headers=team["VIEWER"])
    assert alerts.status_code == 200, alerts.text
    assert alerts.text.index("Port scan") < alerts.text.index("Phishing &lt;kit&gt;")
    assert "<kit>" not in alerts.text
    assert f'href="/aegis/alerts/{phish["id"]}"' in alerts.text
    new_only = await client.get("/aegis/alerts?status=RESOLVED", headers=team["VIEWER"])
    assert new_only.status_code == 200 and 'id="no-alerts"' in new_only.text
    incidents = await client.get("/aegis/incidents", headers=team["VIEWER"])
    assert (
        incidents.status_code == 200
        and f'href="/aegis/incidents/{incident["id"]}"' in incidents.text
    )

    alert_page = await client.get(f"/aegis/alerts/{phish['id']}", headers=team["VIEWER"])
    assert alert_page.status_code == 200
    assert '<h1 id="alert-title">Phishing &lt;kit&gt;</h1>' in alert_page.text
    assert f'href="/aegis/incidents/{incident["id"]}"' in alert_page.text  # its incident
    loose = await client.get(f"/aegis/alerts/{scan['id']}", headers=team["VIEWER"])
    assert "not attached to one yet" in loose.text
    incident_page = await client.get(f"/aegis/incidents/{incident['id']}", headers=team["VIEWER"])
    assert incident_page.status_code == 200 and "Credential theft" in incident_page.text
    assert f'href="/aegis/alerts/{phish["id"]}"' in incident_page.text
    assert f'href="/aegis/alerts/{scan["id"]}"' not in incident_page.text

    # A stranger: the same 404 page for a real id as for one that does not exist.
    for path in (
        f"/aegis/alerts/{phish['id']}",
        f"/aegis/incidents/{incident['id']}",
        "/aegis/alerts/no-such-alert",
        "/aegis/incidents/no-such-incident",
    ):
        refused = await client.get(path, headers=team["STRANGER"])
        assert refused.status_code == 404, (path, refused.status_code)
        assert "Phishing" not in refused.text and "Credential" not in refused.text
    # With no workspace of their own, the lists send them to onboarding.
    lists = await client.get("/aegis/alerts", headers=team["STRANGER"])
    assert lists.status_code == 303 and lists.headers["location"] == "/onboarding"
    # Signed out: to the sign-in page.
    assert (await client.get(f"/aegis/alerts/{phish['id']}")).status_code == 302


async def test_the_links_of_aegis_notifications_open_a_page(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    alert = await ok(
        client,
        "create-alert",
        {"workspaceId": ws, "title": "Leaked key", "source": "git"},
        team["MEMBER"],
    )
    await ok(
        client, "create-incident", {"workspaceId": ws, "title": "Key rotation"}, team["MEMBER"]
    )
    listed = await call(client, "get-notifications", None, team["OWNER"])
    links = {n["eventType"]: n["link"] for n in listed.json()["notifications"]}
    assert links["alert_created"] == f"/aegis/alerts/{alert['id']}"
    assert links["incident_created"].startswith("/aegis/incidents/")
    for link in links.values():
        opened = await client.get(link, headers=team["OWNER"])
        assert opened.status_code == 200, (link, opened.status_code)
    # The notifications page itself links there.
    inbox = await client.get("/notifications", headers=team["OWNER"])
    assert f'href="/aegis/alerts/{alert["id"]}"' in inbox.text
