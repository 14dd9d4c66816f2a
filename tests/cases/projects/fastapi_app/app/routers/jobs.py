from fastapi import APIRouter, HTTPException

from ..schemas import JobSpec
from ..services import job_status, start_job

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.post("")
async def submit(spec: JobSpec) -> dict:
    pid = start_job(spec.name, spec.command)
    return {"name": spec.name, "pid": pid}


@router.get("/{name}")
async def status(name: str) -> dict:
    if not name.isidentifier():
        raise HTTPException(status_code=400, detail="bad job name")
    return {"name": name, "status": job_status(name)}
