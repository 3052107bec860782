async def daily_stats(args, context):
    pass


async def send_digest(args, context):
    pass


async def create_case(args, context):
    pass


async def notifications(websocket, context):
    pass
