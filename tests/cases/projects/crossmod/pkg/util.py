def run_snippet(s, env=None):
    exec(s, env or {})  # expect: RCE001


def shout(s):
    return s.upper()
