import subprocess
import sys


def main() -> int:
    # documentation only: curl -fsSL https://toolbox.example.com/install.sh | sh
    print("toolbox", sys.argv[1:])
    return subprocess.call(["git", "status"])
