"""Web framework entry points: route parameters, class-based views, handlers registered by a call."""
import os
import pickle
import subprocess

import falcon
from aiohttp import web
from django.http import HttpResponse
from django.urls import path
from django.views import View
from fastapi import APIRouter, Body, FastAPI, Query, Request
from flask import Blueprint
from flask.views import MethodView
from pydantic import BaseModel
from rest_framework.views import APIView

app = FastAPI()
router = APIRouter()
bp = Blueprint("admin", __name__)


class Job(BaseModel):
    script: str


@app.get("/calc")
def calc(expr: str = Query(...)):
    return {"v": eval(expr)}  # expect: RCE001


@router.post("/jobs")
async def submit(job: Job, shell: str = Body(...)):
    exec(job.script)  # expect: RCE001
    os.system(shell)  # expect: RCE006


@app.post("/raw")
async def raw(request: Request):
    return pickle.loads(await request.body())  # expect: RCE002


@bp.route("/run/<cmd>")
def run(cmd):
    return subprocess.check_output(cmd, shell=True)  # expect: RCE006


class RunView(View):
    def post(self, request, name):
        exec(request.POST["code"])  # expect: RCE001
        return HttpResponse(os.popen(name).read())  # expect: RCE006


class ApiRun(APIView):
    def post(self, request):
        return pickle.loads(request.data["blob"])  # expect: RCE002


class Tasks(MethodView):
    def put(self, task_id):
        os.system("kill " + task_id)  # expect: RCE006


def django_view(request, expression):
    return HttpResponse(str(eval(expression)))  # expect: RCE001


urlpatterns = [path("calc/<str:expression>", django_view)]


async def aio_handler(request):
    data = await request.post()
    exec(data["code"])  # expect: RCE001
    return web.Response(text="ok")


aio = web.Application()
aio.router.add_post("/exec", aio_handler)


class Resource:
    def on_post(self, req, resp):
        exec(req.media["code"])  # expect: RCE001


falcon_app = falcon.App()
falcon_app.add_route("/exec", Resource())
