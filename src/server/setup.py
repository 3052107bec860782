"""server.setupFn: runs once when the server starts."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("sentineliq")


def setup_server(app: Any) -> None:
    app.state.product = "SentinelIQ"
    log.info("SentinelIQ server set up")
