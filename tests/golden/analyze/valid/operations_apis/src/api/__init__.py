def admin_middleware(config):
    return config
