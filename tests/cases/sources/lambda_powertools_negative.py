import json

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()

HANDLERS = {"ping": "print('pong')"}


class Replay:
    """Not a resolver: its ``current_event`` is a recorded constant."""

    current_event = {"body": "print('recorded')"}


replay = Replay()


@app.post("/items")
def create_item():
    item = json.loads(app.current_event.body)
    return {"id": int(item["id"]), "name": str(item["name"])[:40]}


@app.get("/ping")
def ping():
    exec(HANDLERS["ping"])
    return {"method": app.current_event.http_method == "GET"}


def replay_last():
    exec(replay.current_event["body"])


def process(job, recorder):
    exec(recorder.current_event.body)
