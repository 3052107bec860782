"""The job queue's tables (procrastinate's schema), as SQL the app's own migrations apply.

procrastinate keeps no version table, so the version a database holds is written as a
comment on ``procrastinate_jobs`` by the revision that installs or upgrades it. A revision
embeds its SQL (read here from the installed procrastinate when ``sentinel db migrate``
writes it), so it does the same thing whatever procrastinate is installed later; an
upgrade applies procrastinate's own migration files between the two versions, in order.
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from importlib import resources

MARKER_PREFIX = "procrastinate "
_MARKER = re.compile(r"^procrastinate (\d+\.\d+\.\d+)")
_MIGRATION = re.compile(r"^(\d+)\.(\d+)\.(\d+)_(\d+)_.*\.sql$")

Version = tuple[int, int, int]

# Reads the marker; NULL when the table is missing, '' when it exists without a marker.
STATE_QUERY = (
    "SELECT CASE WHEN to_regclass('procrastinate_jobs') IS NULL THEN NULL "
    "ELSE coalesce(obj_description(to_regclass('procrastinate_jobs'), 'pg_class'), '') END"
)

# Drops every object whose name starts with procrastinate in the current schema: the
# inverse of the install revision (tables first, their triggers go with them).
DROP_SQL = """
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN SELECT c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r'
          AND c.relname LIKE 'procrastinate%'
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.relname);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'
    LOOP
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.signature);
    END LOOP;
    FOR item IN SELECT t.typname FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%'
          AND t.typtype IN ('e', 'c')
    LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
    END LOOP;
END;
$$;
"""


class SchemaUnknown(RuntimeError):
    """procrastinate's tables exist but no revision of the app wrote them."""


@dataclass(frozen=True)
class SchemaState:
    """What the database holds against what the installed procrastinate needs."""

    installed: Version | None  # None: no job queue tables
    target: Version

    @property
    def missing(self) -> bool:
        return self.installed is None

    @property
    def behind(self) -> bool:
        return self.installed is not None and self.installed < self.target

    @property
    def ahead(self) -> bool:
        return self.installed is not None and self.installed > self.target

    @property
    def ready(self) -> bool:
        return self.installed == self.target

    def problem(self) -> str | None:
        """What to tell a person when the queue cannot run on this database, or None."""
        if self.missing:
            return (
                "the job queue's tables are missing: run `sentinel db migrate` (it writes "
                "a revision that installs them) and `sentinel db upgrade`"
            )
        if self.behind:
            return (
                f"the job queue's tables are at procrastinate {show(self.installed)} but "
                f"{show(self.target)} is installed: run `sentinel db migrate` and "
                "`sentinel db upgrade`"
            )
        if self.ahead:
            return (
                f"the job queue's tables are at procrastinate {show(self.installed)}, newer "
                f"than the installed {show(self.target)}: upgrade the sentinel-spec install"
            )
        return None


def show(version: Version | None) -> str:
    return "none" if version is None else ".".join(str(part) for part in version)


def parse_version(text: str) -> Version:
    major, minor, patch = (int(part) for part in text.split(".")[:3])
    return major, minor, patch


def target_version() -> Version:
    """The installed procrastinate's version: what a new revision brings the schema to."""
    return parse_version(importlib.metadata.version("procrastinate"))


def state_from_marker(marker: str | None) -> SchemaState:
    """``marker`` is what ``STATE_QUERY`` returned."""
    target = target_version()
    if marker is None:
        return SchemaState(None, target)
    match = _MARKER.match(marker)
    if match is None:
        raise SchemaUnknown(
            "procrastinate's tables exist in this database but were not installed by a "
            "revision of this app (no version marker on procrastinate_jobs). Drop them, or "
            "mark their version with: COMMENT ON TABLE procrastinate_jobs IS "
            f"'{MARKER_PREFIX}<version>'"
        )
    return SchemaState(parse_version(match.group(1)), target)


def marker_sql(version: Version) -> str:
    return f"COMMENT ON TABLE procrastinate_jobs IS '{MARKER_PREFIX}{show(version)}';"


def install_sql() -> str:
    """The full current schema plus its version marker."""
    schema = (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
    return f"{schema.rstrip()}\n\n{marker_sql(target_version())}\n"


def _migrations() -> list[tuple[Version, int, str]]:
    folder = resources.files("procrastinate.sql") / "migrations"
    found: list[tuple[Version, int, str]] = []
    for entry in folder.iterdir():
        match = _MIGRATION.match(entry.name)
        if match is not None:
            major, minor, patch, order = (int(g) for g in match.groups())
            found.append(((major, minor, patch), order, entry.name))
    return sorted(found)


def upgrade_sql(installed: Version) -> str:
    """procrastinate's migrations newer than ``installed``, up to the installed version,
    in order, plus the new marker. Empty files list: only the marker moves."""
    target = target_version()
    folder = resources.files("procrastinate.sql") / "migrations"
    parts = [
        f"-- {name}\n{(folder / name).read_text(encoding='utf-8').strip()}\n"
        for version, _, name in _migrations()
        if installed < version <= target
    ]
    return "\n".join([*parts, marker_sql(target)]) + "\n"
