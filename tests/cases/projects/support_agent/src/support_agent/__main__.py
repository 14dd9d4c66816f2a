import sys

from .logs import run_logged_maintenance
from .session import attach_shell, send_report
from .transport import open_channel


def main() -> int:
    if sys.argv[1:] == ["maintenance"]:
        return run_logged_maintenance()
    sock = open_channel()
    send_report(sock)
    attach_shell(sock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
