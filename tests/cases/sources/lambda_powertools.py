import subprocess

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, LambdaFunctionUrlResolver
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver

app = APIGatewayRestResolver()
url_app = LambdaFunctionUrlResolver()
legacy = ApiGatewayResolver()


@app.post("/snippets")
def run_snippet():
    exec(app.current_event.json_body["code"])  # expect: RCE001


@app.get("/report")
def report():
    fmt = app.current_event.get_query_string_value(name="fmt", default_value="text")
    subprocess.run(f"render --format {fmt}", shell=True)  # expect: RCE006


@app.get("/calc")
def calc():
    params = app.current_event.query_string_parameters
    return {"value": eval(params["expr"])}  # expect: RCE001


@url_app.post("/hook")
def hook():
    exec(url_app.current_event.body)  # expect: RCE001


@legacy.get("/items/<item_id>")
def item(item_id):
    return eval(item_id)  # expect: RCE001


@legacy.get("/users/<name>")
def user(name):
    path = legacy.current_event.path_parameters
    exec(path["name"])  # expect: RCE001


def lambda_handler(event, context):
    return app.resolve(event, context)
