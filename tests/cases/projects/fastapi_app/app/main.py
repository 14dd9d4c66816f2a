"""The ASGI application: ``uvicorn app.main:app``."""
from fastapi import FastAPI

from .routers import calc, jobs, reports

app = FastAPI(title="calc-service")
app.include_router(calc.router)
app.include_router(jobs.router)
app.include_router(reports.router)


@app.get("/healthz")
def healthz() -> dict:
    return {"ok": True}
