"""The notification entities, for code that runs under any declaration.

``emit`` is called from platform's operations, Aegis's actions and jobs alike; making
each of them list five notification entities in app.sq would couple every caller to
this module's storage. A declaration that does list them gets the same classes.
"""

from __future__ import annotations

import importlib
from typing import Any

from sentinel_spec.runtime import EntityNotListed


def model(context: Any, name: str) -> Any:
    """``context.entities.<name>`` when the declaration lists it, else the app's class."""
    try:
        return getattr(context.entities, name)
    except EntityNotListed:
        return importlib.import_module("generated.models").MODELS[name]
