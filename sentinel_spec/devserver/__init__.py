"""Development-time services: the embedded PostgreSQL server, reloading, in-process workers.

Modules here are imported only by ``sentinel dev`` and the CLI, never by a generated app.
"""
