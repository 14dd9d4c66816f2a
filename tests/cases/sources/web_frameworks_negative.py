"""Ordinary views and helpers: no finding."""
import json
import subprocess

from django.views import View
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: int, q: str = ""):
    return {"item_id": item_id, "q": json.loads(q or "{}")}


class Health(View):
    def get(self, request):
        out = subprocess.run(["uptime"], capture_output=True)
        return out.stdout


def helper(request, name):
    return request.GET.get(name)


def handler_like(event):
    exec("print(1)")
    return event
