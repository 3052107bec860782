"""What the CLI's commands need besides the compiler: ``routes`` (``sentinel routes``),
``scaffold`` (``sentinel new``) and ``postgres`` (the embedded PostgreSQL of ``sentinel
db`` and ``sentinel dev``)."""
