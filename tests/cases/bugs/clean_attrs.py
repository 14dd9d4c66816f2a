"""`code`, `status`, `reason` are clean on HTTP responses only, not on every object."""
import openai
from flask import Flask, request

app = Flask(__name__)
client = openai.OpenAI()


def llm_snippet(prompt):
    reply = client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
    answer = reply.choices[0].message
    exec(answer.code)  # expect: RCE001


@app.route("/run", methods=["POST"])
def run_task():
    task = request.get_json()
    exec(task.code)  # expect: RCE001
