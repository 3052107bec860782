"""Development-time services of ``sentinel dev``: reloading, in-process workers, the overlay.

Modules here are imported only by ``sentinel dev`` and the CLI, never by a generated app.
"""
