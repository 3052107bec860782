def home(request, context):
    return "<h1>home</h1>"


def case_page(request, context):
    return "<h1>case</h1>"
