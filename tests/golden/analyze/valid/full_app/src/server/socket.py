class on_connect:
    pass
