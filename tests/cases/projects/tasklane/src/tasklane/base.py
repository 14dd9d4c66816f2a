"""The task protocol: a subclass produces code, the base class runs it in a namespace."""
from __future__ import annotations

import abc
import logging
from typing import Any, Dict

from pydantic import BaseModel

log = logging.getLogger(__name__)


class BaseTask(BaseModel, abc.ABC):
    """A unit of work. Subclasses implement :meth:`generate`; :meth:`execute` is the template."""

    name: str = "task"

    @abc.abstractmethod
    def generate(self) -> str:
        """Return the Python source this task runs."""
        raise NotImplementedError

    def namespace(self) -> Dict[str, Any]:
        return {"__name__": f"tasklane.{self.name}"}

    def execute(self) -> Dict[str, Any]:
        code = self.generate()
        log.info("running %s (%d chars)", self.name, len(code))
        ns = self.namespace()
        exec(compile(code, f"<{self.name}>", "exec"), ns)  # expect: RCE001
        return ns
