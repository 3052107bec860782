"""The database of a generated app: one async engine, one unit of work per call.

- ``urls``: ``DATABASE_URL`` forms (driver URL, libpq URL) and ``DatabaseConfigError``
- ``failures``: which errors mean "unreachable" (a 503) rather than "bad query"
- ``after_commit``: ``on_commit`` callbacks, and the unit of work of database-less apps
- ``database``: ``Database`` (engine, pool, ``DB_*`` settings) and ``SessionScope``

``install`` opens the ``Database`` from ``DATABASE_URL`` when the spec declares entities
(or takes the one ``create_app`` was given) and disposes it at shutdown. Importing this
package costs nothing: SQLAlchemy loads only for apps that have a database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    if builder.database is None and builder.decl.metadata is not None:
        # Made here, not at start-up: a bad DATABASE_URL is a settings problem, reported
        # like a missing variable. The engine connects lazily: nothing touches the network.
        from sentinel_spec.runtime.db.database import Database
        from sentinel_spec.runtime.db.urls import DatabaseConfigError
        from sentinel_spec.runtime.settings import SettingsError

        try:
            builder.database = Database.from_env(builder.settings.environ)
        except DatabaseConfigError as error:
            raise SettingsError([str(error)]) from None
    database = builder.database
    if database is not None:
        builder.on_shutdown(database.dispose)
        builder.add_health_check("database", database.ping, critical=True)
