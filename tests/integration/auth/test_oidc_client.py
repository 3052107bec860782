"""The OpenID Connect relying party against the loopback provider: the whole code flow
with state, nonce and PKCE, and every kind of bad ID token refused."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from sentinel_spec.runtime.auth.oidc import FlowState, OidcClient, OidcConfig, OidcError
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, oidc_provider

REDIRECT = "http://127.0.0.1:9/auth/google/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with oidc_provider() as running:
        yield running


def client_for(provider: Provider, secret: str = CLIENT_SECRET) -> OidcClient:
    return OidcClient(OidcConfig(provider.discovery_url, CLIENT_ID, secret))


async def authorize(client: OidcClient) -> tuple[str, FlowState]:
    """Follow the authorization URL like a browser; the code the provider sends back."""
    url, flow = await client.begin(REDIRECT)
    async with httpx.AsyncClient() as browser:
        answer = await browser.get(url)
    assert answer.status_code == 302, answer.text
    back = parse_qs(urlparse(answer.headers["location"]).query)
    assert back["state"] == [flow.state]
    return back["code"][0], flow


async def test_code_flow_sends_state_nonce_pkce_and_verifies_the_id_token(
    provider: Provider,
) -> None:
    client = client_for(provider)
    code, flow = await authorize(client)
    sent = provider.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and sent["nonce"] == flow.nonce
    assert flow.code_verifier not in str(sent)  # only its S256 challenge travels
    assert set(sent["scope"].split()) == {"openid", "email", "profile"}
    claims = await client.complete(code, flow)
    assert claims["sub"] == "google-sub-1" and claims["email"] == "ana@example.com"
    assert provider.token_requests[-1]["code_verifier"] == flow.code_verifier


@pytest.mark.parametrize(
    "sabotage",
    ["tamper", "expired", "wrong_aud", "wrong_nonce", "wrong_iss", "wrong_key", "no_nonce"],
)
async def test_bad_id_tokens_are_refused(provider: Provider, sabotage: str) -> None:
    client = client_for(provider)
    code, flow = await authorize(client)
    provider.sabotage = sabotage
    with pytest.raises(OidcError):
        await client.complete(code, flow)


async def test_wrong_pkce_verifier_is_refused_by_the_provider(provider: Provider) -> None:
    client = client_for(provider)
    code, flow = await authorize(client)
    forged = FlowState(flow.state, flow.nonce, "x" * 60, flow.redirect_uri)
    with pytest.raises(OidcError, match="code exchange refused"):
        await client.complete(code, forged)


async def test_a_code_works_once(provider: Provider) -> None:
    client = client_for(provider)
    code, flow = await authorize(client)
    await client.complete(code, flow)
    with pytest.raises(OidcError):
        await client.complete(code, flow)


async def test_wrong_client_secret_is_refused(provider: Provider) -> None:
    client = client_for(provider, secret="wrong")
    code, flow = await authorize(client)
    with pytest.raises(OidcError):
        await client.complete(code, flow)


async def test_rotated_provider_key_is_fetched_again(provider: Provider) -> None:
    client = client_for(provider)
    code, flow = await authorize(client)
    await client.complete(code, flow)  # the JWKS is now cached, holding k1 only
    old_kid, old_key = provider.kid, provider.key
    provider.rotate_key("k2")
    try:
        code, flow = await authorize(client)
        assert (await client.complete(code, flow))["sub"] == "google-sub-1"
    finally:
        provider.kid, provider.key = old_kid, old_key


async def test_unreachable_provider_is_an_oidc_error() -> None:
    from tests.servers import free_port

    client = OidcClient(
        OidcConfig(f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration", "c", "s")
    )
    with pytest.raises(OidcError, match="cannot reach"):
        await client.begin(REDIRECT)
