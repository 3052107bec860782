import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


async def get_cases(args, context):
    return []


def stats(args: "Mapping[str, object]", context: object) -> str:
    return json.dumps({})


try:
    from os import cpu_count
except ImportError:  # pragma: no cover
    cpu_count = None
