"""``Instant``: a point in time as operation arguments take it: an RFC 3339 string.

pydantic's ``datetime`` also takes numbers and numeric strings as Unix timestamps, so
``"endDate": "1"`` would quietly mean 1970, while the OpenAPI schema promises a
``date-time`` string. Arguments use ``Instant`` so what the schema says is what is taken.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

# Date, "T" or a space, then a time: the shapes RFC 3339 and ISO 8601 date-times start with.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _rfc3339(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _DATE_TIME.match(value):
        # Parsed here, not by pydantic: after a before-validator, the runtime's strict
        # validation would refuse the string itself.
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("must be an RFC 3339 date-time, for example 2026-12-01T09:00:00Z")


Instant = Annotated[datetime.datetime, BeforeValidator(_rfc3339)]
