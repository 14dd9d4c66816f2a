import base64

LOGO = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def logo_bytes():
    return base64.b64decode(LOGO)


def plain():
    exec("x = 1")
    eval("1 + 2")


def separator():
    return chr(10).join(["a", "b"])
