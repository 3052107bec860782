"""Rules for ``app.server`` beyond its schema: security headers, limits, trusted proxies."""

from __future__ import annotations

import ipaddress

from sentinel_spec import ast
from sentinel_spec.analyzer.context import Context, value
from sentinel_spec.analyzer.units import parse_size
from sentinel_spec.errors import SpecError

FRAME_OPTIONS = ("DENY", "SAMEORIGIN")
HEADER_KEYS = (
    "contentSecurityPolicy",
    "hsts",
    "frameOptions",
    "referrerPolicy",
    "permissionsPolicy",
)


def security_headers(ctx: Context) -> list[SpecError]:
    if ctx.app is None:
        return []
    errors: list[SpecError] = []
    for key in HEADER_KEYS:
        found = value(ctx.app.body, "server", "securityHeaders", key)
        if isinstance(found, ast.BoolLit) and found.value:
            errors.append(
                SpecError(
                    found.span,
                    f"`{key}: true` is the default; give the header's value as a string "
                    "(or `false` to send no such header)",
                )
            )
        elif isinstance(found, ast.StringLit) and not found.value.strip():
            errors.append(
                SpecError(found.span, f"`{key}` is empty; use `false` to send no such header")
            )
        elif isinstance(found, ast.StringLit) and any(c in found.value for c in "\r\n"):
            errors.append(SpecError(found.span, f"`{key}` must fit on one header line"))
    frame = value(ctx.app.body, "server", "securityHeaders", "frameOptions")
    if isinstance(frame, ast.StringLit) and frame.value.strip() not in FRAME_OPTIONS:
        errors.append(
            SpecError(
                frame.span,
                '`frameOptions` is "DENY" or "SAMEORIGIN" (ALLOW-FROM is obsolete: use the '
                "CSP's frame-ancestors), or `false`",
            )
        )
    return errors


# (key, smallest sensible size): a limit below it would refuse ordinary requests.
_MIN_SIZES = (("maxUrlBytes", 1024), ("maxHeaderBytes", 4096))


def server_limits(ctx: Context) -> list[SpecError]:
    if ctx.app is None:
        return []
    errors: list[SpecError] = []
    for key, smallest in _MIN_SIZES:
        found = value(ctx.app.body, "server", "limits", key)
        if isinstance(found, ast.StringLit):
            size = parse_size(found.value)
            if size is not None and size < smallest:
                errors.append(
                    SpecError(
                        found.span,
                        f"`{key}` below {smallest // 1024}kb would refuse ordinary requests",
                    )
                )
    count = value(ctx.app.body, "server", "limits", "maxHeaders")
    if isinstance(count, ast.NumberLit) and not 10 <= count.value <= 10_000:
        errors.append(SpecError(count.span, "`maxHeaders` is a count from 10 to 10000"))
    return errors


def trusted_proxies(ctx: Context) -> list[SpecError]:
    """Literal entries must be IPs, CIDR networks or ``*`` (env values are checked at start)."""
    if ctx.app is None:
        return []
    found = value(ctx.app.body, "server", "trustedProxies")
    items: list[ast.StringLit] = []
    if isinstance(found, ast.StringLit):
        items = [found]
    elif isinstance(found, ast.ListExpr):
        items = [item for item in found.items if isinstance(item, ast.StringLit)]
    errors: list[SpecError] = []
    for item in items:
        for part in item.value.split(","):
            text = part.strip()
            if not text or text == "*":
                continue
            try:
                if "/" in text:
                    ipaddress.ip_network(text, strict=False)
                else:
                    ipaddress.ip_address(text)
            except ValueError:
                errors.append(
                    SpecError(
                        item.span,
                        f"trusted proxy `{text}` is not an IP address, a CIDR network or `*`",
                    )
                )
    return errors


SERVER_RULES = (security_headers, server_limits, trusted_proxies)
