"""A task whose code is written by a model."""
from __future__ import annotations

from typing import Optional

import openai

from ..base import BaseTask

SYSTEM = "You write short, self-contained Python scripts. Reply with code only."


class CodeGenTask(BaseTask):
    client: openai.OpenAI
    prompt: str
    model: Optional[str] = "gpt-4o-mini"

    model_config = {"arbitrary_types_allowed": True}

    def generate(self) -> str:
        reply = self.client.chat.completions.create(
            model=self.model or "gpt-4o-mini",
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": self.prompt}],
        )
        text = reply.choices[0].message.content or ""
        return text.strip().removeprefix("```python").removesuffix("```")
