from src.core.auth.hooks import signup_fields as google_fields


def google_config():
    return {"scopes": ["openid", "email"]}
