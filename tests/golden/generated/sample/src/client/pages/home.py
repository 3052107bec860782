from __future__ import annotations

from typing import Any

from sentinel_spec.runtime.http.pages import Rendered, render


def home_page(request: Any, context: Any) -> Rendered:
    return render("home.html", {"title": "Tracker"})


def dashboard_page(request: Any, context: Any) -> str:
    return "<h1>Dashboard</h1>"
