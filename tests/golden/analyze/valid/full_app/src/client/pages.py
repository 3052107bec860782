def verify_page(request, context):
    return "<p>verify</p>"


def reset_page(request, context):
    return "<p>reset</p>"
