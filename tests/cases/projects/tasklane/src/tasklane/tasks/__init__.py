from .codegen import CodeGenTask
from .remote import RemoteScriptTask
from .static import HelloTask

__all__ = ["CodeGenTask", "RemoteScriptTask", "HelloTask"]
