from src.ops import get_cases as _get


async def create_case(args, context):
    return await _get(args, context)


close_case: object = create_case
