"""Request and response bodies."""
from typing import List, Optional

from pydantic import BaseModel, Field


class JobSpec(BaseModel):
    name: str = Field(..., max_length=64)
    command: str
    tags: List[str] = []


class ReportRequest(BaseModel):
    title: str
    columns: List[str]
    limit: Optional[int] = 100
