def get_cases(args, context):
    helper = 1
    return helper
