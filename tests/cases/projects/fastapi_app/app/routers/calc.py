from typing import Dict

from fastapi import APIRouter, Query

from .. import services

router = APIRouter(prefix="/calc", tags=["calc"])


@router.get("/eval")
def eval_expression(expr: str = Query(..., max_length=200), x: float = 0.0, y: float = 0.0) -> Dict[str, float]:
    return {"result": services.evaluate(expr, {"x": x, "y": y})}


@router.get("/arith")
def arithmetic(expr: str) -> Dict[str, float]:
    return {"result": services.evaluate_safely(expr)}
