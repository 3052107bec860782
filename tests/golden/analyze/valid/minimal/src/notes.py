async def get_notes(args, context):
    return []
