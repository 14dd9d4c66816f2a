"""Empty-path routes that use their parameters safely, next to a helper that execs only local
source: nothing to report."""
import subprocess

from fastapi import APIRouter

router = APIRouter(prefix="/jobs")


@router.get("")
def list_jobs(state: str = "running"):
    out = subprocess.run(["systemctl", "--user", "list-units", f"--state={state}"], capture_output=True, text=True)
    return out.stdout.splitlines()


@router.delete("")
def clear_jobs(limit: int = 10):
    return {"cleared": int(limit)}


def version(source):
    ns = {}
    exec(source, ns)
    return ns.get("__version__")


print(version("__version__ = '1.0'"))
