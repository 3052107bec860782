from typing import Any

signup_fields: dict[str, Any] = {}


def on_after_signup(user, context):
    return None
