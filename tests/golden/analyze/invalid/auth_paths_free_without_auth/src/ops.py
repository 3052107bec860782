def get_cases(args, context):
    return []


def health(request, context):
    return {}
