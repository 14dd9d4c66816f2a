"""Routes of a router with a prefix: the route's own path may be empty (``@router.post("")``
serves ``/jobs``); its parameters are request parameters like any other route's."""
import os

from fastapi import APIRouter
from flask import Blueprint

router = APIRouter(prefix="/jobs")
bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@router.post("")
def create_job(command: str):
    os.system(command)  # expect: RCE006


@bp.route("", methods=["POST"])
def create_task(script: str):
    exec(script)  # expect: RCE001
