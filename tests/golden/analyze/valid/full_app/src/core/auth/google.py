from src.core.auth.hooks import signup_fields

google_fields = dict(signup_fields)


def google_config():
    return {"scopes": ["openid", "email"]}
