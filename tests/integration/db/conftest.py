"""Fixtures of tests/db: hand-made ``generated/models.py`` versions, shaped like the
generator's output (``Base`` with a naming convention, a PostgreSQL enum, ARRAY, indexes)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

HEADER = """
import datetime
import enum
from sqlalchemy import DateTime, func, text
from sqlalchemy import MetaData, String, Integer, Enum, Index, UniqueConstraint, ForeignKey
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
"""

V1 = HEADER

V2 = (
    HEADER
    + """

class Severity(enum.Enum):
    LOW = "LOW"
    HIGH = "HIGH"


class Case(Base):
    __tablename__ = "case_item"
    __table_args__ = (
        UniqueConstraint("owner_id", "title"),
        Index("ix_case_item_severity_title", "severity", "title"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    severity: Mapped[Severity] = mapped_column(Enum(Severity, name="severity"))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String()), default=list)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # Volatile defaults PostgreSQL reports back in another spelling: no false "changes".
    ref: Mapped[str] = mapped_column(String(36), server_default=text("gen_random_uuid()::text"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
"""
)


def _write_models(project_dir: Path, source: str) -> None:
    package = project_dir / "generated"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(textwrap.dedent(source))


ModelsWriter = Callable[[Path, str], None]


@pytest.fixture
def models() -> dict[str, str]:
    """``{"v1": ..., "v2": ...}``: v2 adds a table with an enum, an ARRAY, indexes, uniques."""
    return {"v1": V1, "v2": V2}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder whose generated/models.py is version 1."""
    path = tmp_path / "app"
    _write_models(path, V1)
    return path


@pytest.fixture(name="write_models")
def write_models_fixture() -> ModelsWriter:
    """``write_models(project_dir, source)`` replaces generated/models.py."""
    return _write_models
