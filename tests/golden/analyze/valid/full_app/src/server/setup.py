async def setup_server(app):
    pass


server_middleware = lambda middleware: middleware  # noqa: E731
