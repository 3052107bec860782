def get_cases(args, context):
    return []
