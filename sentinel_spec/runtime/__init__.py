"""What generated apps and user code import from the runtime.

Kept light: ``from sentinel_spec.runtime import HttpError, render`` must not pull in
Starlette's server machinery, SQLAlchemy or Jinja2.
"""

from __future__ import annotations

from sentinel_spec.runtime.errors import HttpError, ServiceUnavailable
from sentinel_spec.runtime.pages import render

__all__ = ["HttpError", "ServiceUnavailable", "render"]
