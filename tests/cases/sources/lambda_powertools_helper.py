"""A helper module of a Powertools app: no route here, only the resolver's current event."""
from aws_lambda_powertools.event_handler import ALBResolver

app = ALBResolver()


def run_job():
    exec(app.current_event.body)  # expect: RCE001
