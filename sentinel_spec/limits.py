"""The documented limits of a spec (docs/language.md, "Limits").

Past any of them the compiler answers with one positioned error instead of spending
unbounded time or memory; everything under them compiles in time and memory linear in
the size of the file. Real specs are far below every limit: SentinelIQ's ``app.sq`` is
about 15 KB and 100 declarations.
"""

from __future__ import annotations

# A spec file, in bytes (as read from disk) and in characters (as given to the parser).
MAX_SPEC_BYTES = 2 * 1024 * 1024
# Declarations of any kind in one spec.
MAX_DECLARATIONS = 20_000
# One string literal, between its quotes, or the text of one `{=json ... json=}` block.
MAX_LITERAL_CHARS = 65_536
# One number literal, sign, fraction and exponent included; in a value, a JSON block, or
# the count of a duration, size or rate string. (Python's own int-string limit is 4,300.)
MAX_NUMBER_CHARS = 100
# Integers are signed 64-bit everywhere (a PostgreSQL BigInt, procrastinate's ids, ...).
MIN_INT = -(2**63)
MAX_INT = 2**63 - 1
# Brackets open at once: `{` `[` `(` of spec values, and `{` `[` inside a JSON block.
MAX_NESTING = 64
# Diagnostics printed in full by one run of `sentinel check`, `build`, `dev` (terminal
# and overlay); the rest are counted ("and 120 more errors").
MAX_SHOWN_ERRORS = 50


def size_text(size: int) -> str:
    """``1048576`` -> ``"1 MiB"``, for messages about the size limit."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB".replace(".0 ", " ")
    if size >= 1024:
        return f"{size / 1024:.1f} KiB".replace(".0 ", " ")
    return f"{size} bytes"
