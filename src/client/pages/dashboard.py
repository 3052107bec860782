"""The signed-in home: the user's workspaces."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import render


def dashboard_page(request: Any, context: Any) -> Any:
    return render("dashboard.html", {"user": context.user})
