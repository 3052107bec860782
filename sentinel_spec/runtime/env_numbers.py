"""Numbers from environment variables, with errors that name the variable.

Features raise their own ``ValueError`` subclass (``error=``), so a start-up failure
says which feature's setting is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping


def env_seconds(
    environ: Mapping[str, str], name: str, default: float, *, error: type[ValueError]
) -> float:
    """``name`` as a non-negative number of seconds; ``default`` when unset or blank."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise error(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise error(f"{name} must not be negative, got {raw!r}")
    return value
