def health(request, context):
    return {"ok": True}


async def case_item(request, context):
    return {}


def case_middleware(config):
    return config


hook, other = health, None
