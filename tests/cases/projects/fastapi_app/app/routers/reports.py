from fastapi import APIRouter, Body

from ..schemas import ReportRequest
from ..services import build_report

router = APIRouter(prefix="/reports")


@router.post("/")
def create(req: ReportRequest, note: str = Body("", embed=True)) -> dict:
    report = build_report(req.title, req.columns, req.limit or 100)
    report["note"] = note[:500]
    return report
