"""The public landing page."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import render


def landing_page(request: Any, context: Any) -> Any:
    return render("landing.html", {"signed_in": context.user is not None})
