"""``sentinel lsp``: start the language server on stdio (editors run this)."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option(
    "--debounce",
    type=click.FloatRange(min=0),
    default=0.15,
    show_default=True,
    help="Seconds of quiet after an edit before the spec is checked again.",
)
def lsp_command(debounce: float) -> None:
    """Run the language server over stdin/stdout (for editors; see docs/editor.md)."""
    from sentinel_spec.lsp.server import serve

    serve(debounce)
