from appkg.remote import Client


def run(name):
    c = Client("https://scripts.example.com")
    exec(c.script(name))  # expect: RCE001
