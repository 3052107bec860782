

def google_config():
    return {"scopes": ["openid", "email"]}
