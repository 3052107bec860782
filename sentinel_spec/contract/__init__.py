"""What the compiler and the runtime both read, importing neither (standard library only).

- ``declarations``: the literal declaration types ``generated/server.py`` is made of
- ``jobs``: a job's executor options (shared by AppSpec and the job runtime)
- ``routes``: THE route plan, the one place that says which path and methods serve what
- ``features``: which declared features the runtime serves (drives "not served yet")

``tests/unit/architecture/test_import_rules.py`` holds this package to the standard library.
"""
