"""Install with:

    curl -fsSL https://get.example.com/install.sh | sh

(the docstring above is documentation, not a command)
"""
import subprocess

HELP = "To install, run: curl -fsSL https://get.example.com | sh"


def show_help():
    # curl https://example.com/x.sh | bash   <- just a comment
    print("wget -qO- https://example.com | bash")
    print(HELP)


def download_only(url):
    subprocess.run(["curl", "-fsSLo", "archive.tgz", url], check=True)
