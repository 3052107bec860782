"""Import an app's ``generated.models`` fresh, from its project folder."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from sqlalchemy import MetaData


class ModelsNotFound(RuntimeError):
    """The project has no importable ``generated/models.py`` with a ``Base``."""


def purge_modules(*packages: str) -> None:
    """Forget ``packages`` (and submodules) so the next import reads the files again."""
    for name in list(sys.modules):
        if any(name == p or name.startswith(p + ".") for p in packages):
            del sys.modules[name]
    importlib.invalidate_caches()


def ensure_on_path(project_dir: Path) -> None:
    path = str(project_dir.resolve())
    if path in sys.path:
        sys.path.remove(path)
    sys.path.insert(0, path)  # first, so another project's ``generated`` never wins


def load_metadata(project_dir: Path) -> MetaData:
    """``generated.models.Base.metadata`` of ``project_dir``, re-imported every call.

    Re-importing matters in one process (tests, the dev server) where the models
    change between calls.
    """
    if not (project_dir / "generated" / "models.py").exists():
        raise ModelsNotFound(
            f"{project_dir / 'generated' / 'models.py'} not found: run `sentinel build` first"
        )
    purge_modules("generated")
    ensure_on_path(project_dir)
    module = importlib.import_module("generated.models")
    base = getattr(module, "Base", None)
    metadata = getattr(base, "metadata", None)
    if not isinstance(metadata, MetaData):
        raise ModelsNotFound("generated/models.py has no `Base` with a `metadata`")
    return metadata
