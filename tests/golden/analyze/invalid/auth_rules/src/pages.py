def login(request, context):
    return "login"
