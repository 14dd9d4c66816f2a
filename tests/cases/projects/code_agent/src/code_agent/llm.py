"""Chat clients for the agent: one interface over OpenAI and Anthropic."""
from __future__ import annotations

import os

from anthropic import Anthropic
from openai import OpenAI

DEFAULT_MODEL = os.environ.get("CODE_AGENT_MODEL", "gpt-4o-mini")
SYSTEM = "You are a careful Python assistant. Answer with one fenced code block."


class ChatModel:
    """Holds the provider's client and returns the text of one answer."""

    def __init__(self, provider: str = "openai", model: str = DEFAULT_MODEL) -> None:
        self.provider = provider
        self.model = model
        if provider == "anthropic":
            self.client = Anthropic()
        else:
            self.client = OpenAI(timeout=60)

    def ask(self, prompt: str) -> str:
        if self.provider == "anthropic":
            msg = self.client.messages.create(
                model=self.model, max_tokens=2048, system=SYSTEM,
                messages=[{"role": "user", "content": prompt}],
            )
            return msg.content[0].text
        resp = self.client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
            temperature=0,
        )
        return resp.choices[0].message.content or ""
