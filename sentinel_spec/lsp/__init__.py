"""The language server for ``.sq`` files (``sentinel lsp``), on the compiler's own parser.

``index`` analyses a document (the diagnostics of ``sentinel check``) and indexes its
names; ``cursor`` reads what is being typed from the raw text; ``features`` answers
each request; ``server`` wires them to pygls. Field names and types come from the
analyzer's schemas, documentation from ``field_docs``.
"""
