import hashlib


def digest(data):
    h = hashlib.md5(data)
    return h.hexdigest()
