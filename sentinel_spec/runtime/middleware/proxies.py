"""Which peers are trusted proxies, and the client's address behind them.

One rule for the whole runtime (rate limits per IP, login limits, workspace IP
allowlists, the access log, Sentry): a request's ``X-Forwarded-For`` /
``X-Forwarded-Proto`` are believed only when the TCP peer is a trusted proxy, and the
client is then the right-most address in ``X-Forwarded-For`` that is not itself a
trusted proxy (a client cannot forge its way past the proxies by prepending entries).

Trusted proxies come from ``app.server.trustedProxies`` (IPs, CIDR networks, or ``*``),
else the ``FORWARDED_ALLOW_IPS`` environment variable (uvicorn's name), else loopback
only. ``ProxyHeadersMiddleware`` (uvicorn's, given that list) rewrites the ASGI scope's
``client`` and ``scheme`` once, as the outermost layer; ``client_ip(conn)`` then reads it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.middleware import Middleware

    from sentinel_spec.contract.declarations import AppDecl
    from sentinel_spec.runtime.settings import Settings

DEFAULT_TRUSTED_PROXIES: tuple[str, ...] = ("127.0.0.1", "::1")
UNKNOWN_CLIENT = "unknown"


class TrustedProxiesError(ValueError):
    """An entry of trustedProxies / FORWARDED_ALLOW_IPS is neither an IP, a CIDR nor ``*``."""


def parse_trusted_proxies(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"10.0.0.0/8, 127.0.0.1"`` or a list -> a checked tuple; ``*`` trusts every peer."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    entries = tuple(item.strip() for item in items if item.strip())
    for entry in entries:
        if entry == "*":
            continue
        try:
            if "/" in entry:
                ipaddress.ip_network(entry, strict=False)
            else:
                ipaddress.ip_address(entry)
        except ValueError:
            raise TrustedProxiesError(
                f"trusted proxy {entry!r} is not an IP address, a CIDR network or '*'"
            ) from None
    return entries


def trusted_proxies(
    declared: str | Iterable[str] | None, environ: Mapping[str, str]
) -> tuple[str, ...]:
    """The spec's list, else ``FORWARDED_ALLOW_IPS``, else loopback."""
    if declared is not None:
        return parse_trusted_proxies(declared)
    from_env = environ.get("FORWARDED_ALLOW_IPS")
    if from_env is not None and from_env.strip():
        return parse_trusted_proxies(from_env)
    return DEFAULT_TRUSTED_PROXIES


def proxy_headers_middleware(decl: AppDecl, settings: Settings) -> Middleware:
    """uvicorn's ProxyHeadersMiddleware with the app's trusted proxies (checked here, so a
    typo stops start-up instead of silently trusting nobody)."""
    from starlette.middleware import Middleware
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from sentinel_spec.runtime.settings import SettingsError

    try:
        trusted = trusted_proxies(settings.resolve(decl.trusted_proxies), settings.environ)
    except TrustedProxiesError as error:
        raise SettingsError([f"app.server.trustedProxies: {error}"]) from None
    return Middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted))


def client_ip(conn: Any) -> str:
    """The client's IP for a Starlette ``Request``/``WebSocket``/``HTTPConnection`` or an
    ASGI scope, after trusted proxies were accounted for; ``"unknown"`` when there is none
    (a unix socket, a test transport without a peer)."""
    scope = conn if isinstance(conn, dict) else getattr(conn, "scope", None)
    client = scope.get("client") if scope is not None else None
    if not client or not client[0]:
        return UNKNOWN_CLIENT
    return str(client[0])[:64]


def rate_limit_ip_key(ip: str) -> str:
    """The key per-IP limits count under: the address, or its /64 for IPv6 (one IPv6
    subscriber usually holds a whole /64, so per-address limits would not limit them)."""
    if ":" not in ip:
        return ip
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
