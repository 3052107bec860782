"""Outgoing URLs an admin configures (webhooks, Slack, Discord, Teams): SSRF rules.

Outside development and tests a target must be https and its host must resolve only to
public addresses; the check runs when the provider is saved and again before every
send (a DNS answer can change after the save)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from src.core.notifications.settings import current


class UnsafeUrl(ValueError):
    """A URL the server must not call."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_syntax(url: str) -> str:
    """The URL's host, if its form is acceptable in this environment."""
    parts = urlsplit(url)
    local = current().is_local
    allowed = ("https", "http") if local else ("https",)
    if parts.scheme not in allowed:
        raise UnsafeUrl("the URL must use https" if not local else "the URL must be http(s)")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("credentials in the URL are not allowed")
    return parts.hostname


async def check_target(url: str) -> None:
    """Refuse URLs that point at this network (in production): raises ``UnsafeUrl``."""
    host = check_syntax(url)
    if current().is_local:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise UnsafeUrl(f"the host {host} does not resolve") from error
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(_public(str(a)) for a in addresses):
        raise UnsafeUrl("the URL points at a private or reserved network address")
