"""LLM completions are outside data: prompt injection chooses what the model returns."""
import subprocess

import anthropic
import litellm
import ollama
import openai
from google import genai
from huggingface_hub import InferenceClient
from openai import AsyncOpenAI, AzureOpenAI, OpenAI


def openai_v1(prompt):
    client = OpenAI()
    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    code = resp.choices[0].message.content
    exec(code)  # expect: RCE001


def openai_responses(prompt):
    client = OpenAI()
    r = client.responses.create(model="gpt-4o", input=prompt)
    eval(r.output_text)  # expect: RCE001


async def openai_async_stream(prompt):
    client = AsyncOpenAI()
    stream = await client.chat.completions.create(model="m", messages=[], stream=True)
    text = ""
    async for chunk in stream:
        text += chunk.choices[0].delta.content or ""
    subprocess.run(text, shell=True)  # expect: RCE006


class Agent:
    def __init__(self):
        self.llm = AzureOpenAI(api_version="2024-02-01")

    def ask(self, q):
        return self.llm.chat.completions.create(model="m", messages=[q]).choices[0].message.content

    def act(self, q):
        exec(self.ask(q))  # expect: RCE001


def legacy(prompt):
    r = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[prompt])
    exec(r["choices"][0]["message"]["content"])  # expect: RCE001
    c = openai.Completion.create(model="davinci", prompt=prompt)
    exec(c.choices[0].text)  # expect: RCE001


def claude(prompt):
    client = anthropic.Anthropic()
    msg = client.messages.create(model="claude", max_tokens=100, messages=[prompt])
    exec(msg.content[0].text)  # expect: RCE001


def gemini(prompt):
    client = genai.Client()
    r = client.models.generate_content(model="gemini-2.0-flash", contents=prompt)
    exec(r.text)  # expect: RCE001


def local_models(prompt):
    r = ollama.chat(model="llama3", messages=[prompt])
    exec(r["message"]["content"])  # expect: RCE001
    out = litellm.completion(model="gpt-4o", messages=[prompt])
    exec(out.choices[0].message.content)  # expect: RCE001
    hf = InferenceClient()
    exec(hf.text_generation(prompt))  # expect: RCE001
