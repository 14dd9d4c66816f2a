"""API knowledge as rows: one :class:`Model` per API and effect. The flow engine applies the effects
(``rceguard.analysis.models``) and never names an API itself.

An ``api`` is a dotted name as you would import it (``requests.get``), a method as
``<type>.<method>`` where ``<type>`` is what a ``type`` row gives the object
(``openai.OpenAI.chat.completions.create``: attribute chains on an object are followed), a method of
any object as ``*.<method>``, or a regular expression after ``re:``.

Effects (the vocabulary; users write the same rows under ``[tool.rceguard.models]``):

============  =============================================================================
source        the result is outside data of ``kind`` (a source kind, see SOURCE_KINDS)
download      the result names a file (or is a stream) whose content was downloaded (``kind``);
              with ``to``/``to_kw``: the file named by that argument receives the download
writes        the content of argument ``args[0]`` is written to the file (or handle) of ``to``
copies        the file named by ``args[0]`` is copied to the file named by ``to``
opens         the result is a handle of the file named by ``args[0]`` (downloaded stays downloaded)
sink          argument(s) ``args``/``kwargs`` are run as ``kind``: code, data (deserialized),
              cmd (shell command line), file (program / module / library), process (launcher);
              ``unless``/``when``: keyword conditions that make the call safe / unsafe
runs-remote   the call itself fetches outside data of ``kind`` and runs / deserializes it
              (reported as ``rule``; ``pinned``: a keyword that pins a commit makes it a note)
propagates    the result carries argument ``args`` (``-1``: the receiver) and nothing else
type          the result is an object of ``type`` (methods of it are ``<type>.<method>``)
check         an integrity check of its arguments (a signature check that raises)
callback      the functions given as arguments ``args`` (or ``kwargs``) are called with outside
              data of ``kind`` (their parameters are sources)
calls         the function given as ``args[0]`` is called with the arguments from ``to`` on
              (``loop.run_in_executor(None, exec, data)`` is ``exec(data)``); with ``kwargs``, the
              function given as that keyword is called with the ``args=``/``kwargs=`` literals
              (``threading.Thread(target=fn, args=(data,))``)
decodes       the result is the decoded argument 0 (a decoded constant is an encoded payload)
compiles      the result is a code object of argument 0
clean         the result carries nothing of the arguments
path          the result names the same file as its arguments (for "same path" matching)
importable    argument ``args[0]`` (a directory) is added to the import path
imports       the call imports a module (after ``importable`` of a downloaded directory: RCE003)
chmod         makes the file named by ``args[0]`` executable (mentioned in the message)
archive       the result is an archive read from the file named by argument 0
getattr       the result is the attribute named by the constant argument 1 of argument 0
partial       the result is argument 0 with the other arguments bound first
reads         the result is the content of the file (or handle) ``args[0]`` (``-1``: the receiver):
              a downloaded file read back is outside data
stores        the arguments are put into the receiver (a container, buffer or handle), which
              carries them from then on
hashes        the receiver is a digest object that now also covers argument ``args[0]``
extracts      the receiver (an archive) is unpacked into the directory of ``to``/``to_kw``
              (default: the working directory)
redirects     argument 0 (a descriptor) becomes the standard stream named by argument 1
              (``os.dup2``: a socket there makes a later shell a reverse shell)
chars         the result is a character made from a code (``chr``): joining such characters
              made from constant codes decodes a payload (see the ``arg0:chars`` condition)
holds         not a call: the attribute ``api`` is outside data of ``kind`` -- a module attribute
              (``flask.request``), an attribute of an object of a type (``web.Request.GET``), or
              a field of ``self`` in a subclass of the class (``http.server.BaseHTTPRequestHandler.rfile``)
entry         not a call: the parameters of a function decorated with ``api`` (``@tool``,
              ``@app.tool()`` as ``*.tool``), of a method overriding ``api`` in a subclass
              (``asyncio.Protocol.data_received``), or of the function ``api`` itself (a
              configured entry point: ``mycorp.handlers.on_event``), are outside data of ``kind``
install-hook  not a call: the methods of a subclass of ``api`` run by themselves at install time
              (setup.py commands); findings there say so
digest        the result is a digest of argument ``args[0]`` (or keyword ``kwargs``; ``-1``: of
              the receiver, a digest object): compared with a pinned value, the data is verified
keyed-digest  the same, keyed with a local secret (compared even with a value from the server,
              the data is verified: an HMAC)
compares      compares arguments ``args`` (a constant-time comparison): one a digest of some
              data, the other a pinned value, is an integrity check of that data
handle        the result is a handle on the file named by ``args[0]`` (``-1``: the receiver):
              what is written through it goes to that file (nothing else about the value)
temp-path     the result names a new file, directory or token at each call (a temporary name):
              it names the same file as nothing else
temp-file     the result is a handle on a new temporary file of its own
sibling       the result names a file derived from the receiver's (``p.with_suffix(".pkl")``):
              the same file only when derived the same way
============  =============================================================================

``digest``, ``keyed-digest``, ``compares``, ``handle``, ``temp-path``, ``temp-file`` and ``sibling``
say nothing about the value a call returns: only which file a path names and what an integrity
check covers (the value is what the other rows, or the default, give).

An argument index ``-1`` means the receiver of a method call (``f.write(data)`` writes
``args=(0,)`` ``to=-1``). A ``*.<method>`` row with ``fallback=True`` applies only when nothing
else knows the call: no other row, no function of the project (``x.read()``, ``x.append(v)``,
``x.close()`` on objects of any type).

Conditions (``unless`` / ``when``): ``name=v1|v2`` holds when keyword ``name`` (``name@i``: or the
positional argument ``i``) is a constant among the values (``missing`` means not given; names are
compared by their last dotted part); ``name!=v1|v2`` holds when it is given and not among them;
``name~v`` when its constant (a string or list) contains ``v``; ``arg0:url`` when argument 0 is
a constant (or f-string) starting with a remote URL scheme; ``name@i:codec`` when it folds to a
transform codec (any spelling ``codecs.lookup`` accepts: ``"BASE-64"``, ``"hex_codec"``, ``"rot13"``);
``name@i:folds`` when it folds to a constant string (``"o" + "s"``: see ``analysis/fold.py``);
``arg0:chars`` when argument 0 makes
characters (a ``chars`` row) from constant codes (``chr(c) for c in CODES``, ``map(chr, CODES)``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from . import propagators as P
from . import sanitizers as Z
from . import sinks as K
from . import sources as S


# how ``rceguard models`` says each effect: {a} the arguments, {dest} where it goes, {kind} the
# source kind's name, {sink} the sink kind, {rule}, {type}, {to} as in the row
_PHRASES = {
    "source": "returns {kind}",
    "download": "returns a downloaded file ({kind})",
    "download-to": "returns a downloaded file ({kind}); saves it to {dest}",
    "writes": "writes {a} into the file of {dest}",
    "copies": "copies the file {a} to {dest}",
    "opens": "opens the file {a}",
    "sink": "runs {a} as {sink}",
    "runs-remote": "fetches {kind} and runs it ({rule})",
    "type": "returns a {type}",
    "callback": "calls the functions in {a} with {kind}",
    "calls": "calls {a} with the arguments from arg{to}",
    "calls-target": "calls the function given as {a}= with its args=/kwargs=",
    "propagates": "returns {a}",
    "reads": "returns the content of the file {a}",
    "stores": "puts its arguments into the receiver",
    "hashes": "adds {a} to the receiver's digest",
    "extracts": "unpacks the receiver into {dest}",
    "redirects": "makes arg0 the standard stream arg1",
    "chars": "returns a character made from a code",
    "holds": "the attribute holds {kind}",
    "entry": "parameters of decorated / overriding functions are {kind}",
    "decodes": "returns {a} decoded",
    "check": "checks the integrity of {a}",
    "clean": "returns nothing of its arguments",
    "chmod": "makes the file {a} executable",
    "install-hook": "methods of subclasses run at install time",
    "digest": "returns a digest of {a}",
    "keyed-digest": "returns a keyed digest (an HMAC) of {a}",
    "compares": "compares {a} (an integrity check when one is a digest)",
    "handle": "returns a handle on the file {a}",
    "temp-path": "returns a new temporary name at each call",
    "temp-file": "returns a handle on a new temporary file",
    "sibling": "returns a path derived from the receiver's",
}


@dataclass(frozen=True)
class Model:
    api: str
    effect: str
    kind: str = ""  # source kind (source/download/runs-remote/callback) or sink kind (sink)
    args: Tuple[int, ...] = ()
    kwargs: Tuple[str, ...] = ()
    to: Optional[int] = None  # destination argument (download, writes, copies) / first forwarded (calls)
    to_kw: str = ""
    unless: str = ""
    when: str = ""
    type: str = ""
    rule: str = ""
    pinned: str = ""
    program: int = 0  # sink "process": index of the program / argv argument
    argv: str = ""  # sink "process": "" (a list or one program), "rest" (args from program on), "execl", "execv"
    instances: bool = False  # callback: an object given there has all its public methods called
    returns: bool = False  # runs-remote: the result is the outside data as well (a received object)
    fallback: bool = False  # a "*.method" row applied only when nothing else knows the call
    origin: str = "built-in"

    def describe(self) -> str:
        """The effect as a short phrase (for ``rceguard models``)."""
        a = ", ".join([f"arg{i}" if i >= 0 else "receiver" for i in self.args] + list(self.kwargs)) or "arg0"
        dest = ("the receiver" if self.to == -1 else f"arg{self.to}") if self.to is not None else ""
        if self.to_kw:
            dest = f"{dest} / {self.to_kw}" if dest else self.to_kw
        e = self.effect
        if e == "download" and dest:
            e = "download-to"
        elif e == "calls" and self.kwargs:
            e = "calls-target"
        elif e == "extracts" and not dest:
            dest = "the working directory"
        elif e == "check" and not (self.args or self.kwargs):
            a = "its arguments"
        out = _PHRASES.get(e, e).format(a=a, dest=dest, kind=SOURCE_KINDS.get(self.kind, self.kind), sink=self.kind,
                                        rule=self.rule, type=self.type, to=self.to)
        if self.unless:
            out += f" unless {self.unless}"
        if self.when:
            out += f" when {self.when}"
        if self.pinned:
            out += f" (note when {self.pinned} is a 40-hex commit)"
        if self.fallback:
            out += " (when nothing else knows the call)"
        return out


# source kinds: id -> what the messages call it
SOURCE_KINDS: Dict[str, str] = {
    "http-response": "HTTP response body",
    "http-request": "HTTP request parameter",
    "socket": "data read from a network socket",
    "websocket": "WebSocket message",
    "download": "downloaded file",
    "llm-completion": "LLM completion",
    "llm-tool-call": "LLM tool-call arguments",
    "model-hub": "file downloaded from a model hub",
    "cloud-storage": "object downloaded from cloud storage",
    "zeromq": "message from a ZeroMQ socket",
    "ipc": "message from a multiprocessing connection",
    "rpc": "RPC request",
    "message-queue": "message from a message queue",
    "serverless-event": "serverless function event",
    "custom": "configured source",
}
# the kinds as a sentence names them
KIND_PHRASES: Dict[str, str] = {
    "http-response": "an HTTP response body",
    "http-request": "an HTTP request parameter",
    "socket": "data read from a network socket",
    "websocket": "a WebSocket message",
    "download": "a downloaded file",
    "llm-completion": "an LLM completion",
    "llm-tool-call": "LLM tool-call arguments",
    "model-hub": "a file downloaded from a model hub",
    "cloud-storage": "an object downloaded from cloud storage",
    "zeromq": "a message from a ZeroMQ socket",
    "ipc": "a message from a multiprocessing connection",
    "rpc": "an RPC request",
    "message-queue": "a message from a message queue",
    "serverless-event": "a serverless function event",
    "custom": "a configured source",
}


def kind_phrase(kind: str) -> str:
    return KIND_PHRASES.get(kind, SOURCE_KINDS.get(kind, kind))


# ----------------------------------------------------------------------------------- rows
def _source_kind_of_table(api: str) -> str:
    if api.startswith(("socket.", "asyncio.open_")):
        return "socket"
    if api.startswith(("websocket", "aiohttp.ClientSession.ws_connect")):
        return "websocket"
    if api.startswith(("ftplib.",)):
        return "download"
    if api.startswith(S.REQUEST_TYPE + ".") or api.startswith("tornado.web."):
        return "http-request"
    return "http-response"


def _src(kind: str, *apis: str, type: str = "") -> List[Model]:
    return [Model(a, "source", kind, type=type) for a in apis]


def _typ(t: str, *apis: str) -> List[Model]:
    return [Model(a, "type", type=t) for a in apis]


def _on(t: str, *methods: str) -> Tuple[str, ...]:
    return tuple(f"{t}.{m}" for m in methods)


# the type of a socket's file descriptor (``sock.fileno()``): see analysis/netshell.py
SOCKET_FD_TYPE = "socket.fd"

_OPENAI = "openai.OpenAI"  # the OpenAI client surface (also Azure, Groq, Together ... clients)
_LLM_FRAMEWORK = "llm.Runnable"  # LangChain chat models / LLMs / chains / agents, and the like
_LC_METHODS = ("invoke", "ainvoke", "predict", "apredict", "predict_messages", "run", "arun", "__call__",
               "stream", "astream", "generate", "agenerate", "batch", "abatch", "call", "acall")

LLM_ROWS: List[Model] = [
    # OpenAI v1 clients (and the clients that copy its surface)
    *_typ(_OPENAI, "openai.OpenAI", "openai.AsyncOpenAI", "openai.AzureOpenAI", "openai.AsyncAzureOpenAI",
          "openai.Client", "openai.AsyncClient", "groq.Groq", "groq.AsyncGroq", "together.Together",
          "together.AsyncTogether", "fireworks.client.Fireworks", "cerebras.cloud.sdk.Cerebras"),
    *_src("llm-completion", *_on(_OPENAI, "chat.completions.create", "chat.completions.parse",
                                 "beta.chat.completions.parse", "beta.chat.completions.stream",
                                 "chat.completions.stream", "completions.create", "responses.create",
                                 "responses.parse", "responses.stream")),
    *_src("llm-completion", "openai.chat.completions.create", "openai.completions.create", "openai.responses.create",
          "openai.ChatCompletion.create", "openai.ChatCompletion.acreate", "openai.Completion.create",
          "openai.Completion.acreate"),
    # Anthropic
    *_typ("anthropic.Anthropic", "anthropic.Anthropic", "anthropic.AsyncAnthropic", "anthropic.AnthropicBedrock",
          "anthropic.AsyncAnthropicBedrock", "anthropic.AnthropicVertex", "anthropic.AsyncAnthropicVertex",
          "anthropic.Client"),
    *_src("llm-completion", *_on("anthropic.Anthropic", "messages.create", "messages.stream", "completions.create",
                                 "beta.messages.create", "beta.messages.stream")),
    # Google
    *_typ("google.generativeai.GenerativeModel", "google.generativeai.GenerativeModel",
          "vertexai.generative_models.GenerativeModel", "vertexai.preview.generative_models.GenerativeModel"),
    *_typ("google.generativeai.ChatSession", "google.generativeai.GenerativeModel.start_chat"),
    *_src("llm-completion", *_on("google.generativeai.GenerativeModel", "generate_content", "generate_content_async"),
          *_on("google.generativeai.ChatSession", "send_message", "send_message_async")),
    *_typ("google.genai.Client", "google.genai.Client"),
    *_typ("google.generativeai.ChatSession", "google.genai.Client.chats.create", "google.genai.Client.aio.chats.create"),
    *_src("llm-completion", *_on("google.genai.Client", "models.generate_content", "models.generate_content_stream",
                                 "aio.models.generate_content", "aio.models.generate_content_stream")),
    # Mistral, Cohere, Ollama, LiteLLM, Hugging Face
    *_typ("mistralai.Mistral", "mistralai.Mistral"),
    *_src("llm-completion", *_on("mistralai.Mistral", "chat.complete", "chat.complete_async", "chat.stream",
                                 "chat.stream_async", "fim.complete")),
    *_typ("mistralai.client.MistralClient", "mistralai.client.MistralClient", "mistralai.async_client.MistralAsyncClient"),
    *_src("llm-completion", *_on("mistralai.client.MistralClient", "chat", "chat_stream", "completion")),
    *_typ("cohere.Client", "cohere.Client", "cohere.ClientV2", "cohere.AsyncClient", "cohere.AsyncClientV2"),
    *_src("llm-completion", *_on("cohere.Client", "chat", "chat_stream", "generate")),
    *_typ("ollama.Client", "ollama.Client", "ollama.AsyncClient"),
    *_src("llm-completion", "ollama.chat", "ollama.generate", *_on("ollama.Client", "chat", "generate")),
    *_src("llm-completion", "litellm.completion", "litellm.acompletion", "litellm.text_completion",
          "litellm.atext_completion"),
    *_typ("litellm.Router", "litellm.Router"),
    *_src("llm-completion", *_on("litellm.Router", "completion", "acompletion")),
    *_typ("huggingface_hub.InferenceClient", "huggingface_hub.InferenceClient", "huggingface_hub.AsyncInferenceClient"),
    *_src("llm-completion", *_on("huggingface_hub.InferenceClient", "text_generation", "chat_completion",
                                 "chat.completions.create", "conversational")),
    # frameworks: LangChain chat models, LLMs, chains and agents; LlamaIndex; DSPy; Haystack; Semantic Kernel
    Model(r"re:^langchain[\w.]*\.(?:chat_models|llms)(?:\.\w+)*\.\w+$", "type", type=_LLM_FRAMEWORK),
    Model(r"re:^langchain_\w+\.(?:Chat\w+|\w*LLM|OpenAI|AzureOpenAI|Ollama|HuggingFaceEndpoint|\w+Endpoint)$",
          "type", type=_LLM_FRAMEWORK),
    *_typ(_LLM_FRAMEWORK, "langchain.chat_models.init_chat_model", "langchain.chains.LLMChain",
          "langchain.chains.ConversationChain", "langchain.chains.RetrievalQA.from_chain_type",
          "langchain.chains.RetrievalQA.from_llm", "langchain.chains.ConversationalRetrievalChain.from_llm",
          "langchain.agents.AgentExecutor", "langchain.agents.initialize_agent",
          "langchain.agents.AgentExecutor.from_agent_and_tools", "langgraph.prebuilt.create_react_agent",
          f"{_LLM_FRAMEWORK}.__or__", f"{_LLM_FRAMEWORK}.__ror__", f"{_LLM_FRAMEWORK}.bind",
          f"{_LLM_FRAMEWORK}.bind_tools", f"{_LLM_FRAMEWORK}.with_structured_output", f"{_LLM_FRAMEWORK}.with_retry",
          f"{_LLM_FRAMEWORK}.with_config", f"{_LLM_FRAMEWORK}.pipe"),
    *_src("llm-completion", *_on(_LLM_FRAMEWORK, *_LC_METHODS)),
    Model(r"re:^llama_index[\w.]*\.llms(?:\.\w+)*\.\w+$", "type", type="llama_index.LLM"),
    *_src("llm-completion", *_on("llama_index.LLM", "complete", "acomplete", "chat", "achat", "stream_complete",
                                 "stream_chat", "predict", "apredict")),
    *_typ("llama_index.QueryEngine", "*.as_query_engine", "*.as_chat_engine"),
    *_src("llm-completion", *_on("llama_index.QueryEngine", "query", "aquery", "chat", "achat", "stream_chat")),
    *_typ("dspy.Module", "dspy.Predict", "dspy.ChainOfThought", "dspy.ReAct", "dspy.ProgramOfThought",
          "dspy.LM", "dspy.MultiChainComparison"),
    *_src("llm-completion", *_on("dspy.Module", "__call__", "forward", "acall")),
    Model(r"re:^haystack\.components\.generators(?:\.\w+)*\.\w+Generator$", "type", type="haystack.Generator"),
    *_src("llm-completion", *_on("haystack.Generator", "run", "run_async")),
    *_typ("semantic_kernel.Kernel", "semantic_kernel.Kernel"),
    *_typ("azure.functions.FunctionApp", "azure.functions.FunctionApp"),
    *_typ("chalice.Chalice", "chalice.Chalice"),
    *_typ("mcp.server.fastmcp.FastMCP", "mcp.server.fastmcp.FastMCP"),
    *_typ("fastmcp.FastMCP", "fastmcp.FastMCP"),
    *_typ("pydantic_ai.Agent", "pydantic_ai.Agent"),
    *_src("llm-completion", *_on("semantic_kernel.Kernel", "invoke", "invoke_prompt", "invoke_stream")),
    Model(r"re:^semantic_kernel\.connectors\.ai(?:\.\w+)*\.\w+ChatCompletion$", "type", type="semantic_kernel.Chat"),
    *_src("llm-completion", *_on("semantic_kernel.Chat", "get_chat_message_content", "get_chat_message_contents",
                                 "get_streaming_chat_message_content")),
]

# ----------------------------------------------------------------------------------- entry points
# Decorators (bare or called) that make a function an entry point: its parameters are outside data.
DECORATOR_SOURCES: Dict[str, str] = {
    **{d: "llm-tool-call" for d in (
        "langchain.tools.tool", "langchain_core.tools.tool", "langchain.agents.tool", "langchain.tools.StructuredTool",
        "crewai.tools.tool", "crewai_tools.tool", "smolagents.tool", "semantic_kernel.functions.kernel_function",
        "mcp.server.fastmcp.FastMCP.tool", "fastmcp.FastMCP.tool", "autogen_core.tools.FunctionTool",
        "llama_index.core.tools.FunctionTool.from_defaults", "agents.function_tool", "pydantic_ai.Agent.tool",
        "pydantic_ai.Agent.tool_plain")},
    **{d: "serverless-event" for d in (
        "functions_framework.http", "functions_framework.cloud_event", "functions_framework.typed",
        "azure.functions.FunctionApp.route", "azure.functions.FunctionApp.queue_trigger",
        "azure.functions.FunctionApp.blob_trigger", "azure.functions.FunctionApp.event_hub_message_trigger",
        "azure.functions.FunctionApp.service_bus_queue_trigger", "chalice.Chalice.route", "chalice.Chalice.lambda_function")},
    **{d: "http-request" for d in ("pyramid.view.view_config", "django.views.decorators.http.require_http_methods",
                                    "django.views.decorators.http.require_POST", "django.views.decorators.http.require_GET",
                                    "rest_framework.decorators.api_view", "rest_framework.decorators.action",
                                    "django.views.decorators.csrf.csrf_exempt")},
}
# The same, for decorators that are methods of an object of any type (``@app.tool()``, ``@mcp.tool()``)
DECORATOR_METHOD_SOURCES: Dict[str, str] = {"tool": "llm-tool-call", "tool_plain": "llm-tool-call"}
# Methods of base classes given by a pattern of ``<base>.<method>`` that receive outside data
ENTRY_PATTERN_ROWS: List[Model] = [
    Model(r"re:^(?:.*\.)?\w*_pb2_grpc\.\w+Servicer\.(?!_)\w+$", "entry", "rpc"),  # gRPC: each RPC's request
    Model(r"re:^rpyc\.(?:core\.service\.)?Service\.exposed_\w+$", "entry", "rpc"),
]
# Functions that are serverless entry points by their shape: a module-level function with these
# first parameters, named like an entry point
HANDLER_PARAMS: Tuple[Tuple[str, ...], ...] = (("event", "context"),)
HANDLER_NAMES = ("handler", "lambda_handler", "main", "*_handler", "handle")
LAMBDA_SOURCE = "an AWS Lambda handler"
# Falcon-style responders: methods with these names whose first parameters are (req, resp)
RESPONDER_METHODS = ("on_get", "on_post", "on_put", "on_patch", "on_delete", "on_head", "on_options", "on_websocket")
RESPONDER_SOURCE = "a Falcon responder"

ENTRY_POINT_KINDS: Dict[str, str] = {**DECORATOR_SOURCES, LAMBDA_SOURCE: "serverless-event",
                                     RESPONDER_SOURCE: "http-request", "a web route": "http-request",
                                     **{f"*.{m}": k for m, k in DECORATOR_METHOD_SOURCES.items()}}
CALLBACK_METHOD_KINDS: Dict[str, str] = {
    **{b: "http-request" for b in S.CALLBACK_METHODS},
    **{b: "socket" for b in S.CALLBACK_METHODS if b.startswith(("asyncio.", "twisted."))},
    **{b: "websocket" for b in S.CALLBACK_METHODS if "ebsocket" in b or "Endpoint" in b and "WebSocket" in b},
    **{b: "llm-tool-call" for b in S.CALLBACK_METHODS if "Tool" in b},
}

HUB_ROWS: List[Model] = [
    *[Model(a, "download", "model-hub") for a in (
        "huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download", "huggingface_hub.cached_download",
        "huggingface_hub.file_download.hf_hub_download", "huggingface_hub.HfApi.hf_hub_download",
        "huggingface_hub.HfApi.snapshot_download", "transformers.utils.cached_file", "transformers.utils.hub.cached_file",
        "transformers.file_utils.cached_path", "transformers.utils.hub.get_file_from_repo", "transformers.cached_path",
        "keras.utils.get_file", "tensorflow.keras.utils.get_file", "tf_keras.utils.get_file", "tensorflow_hub.resolve",
        "mlflow.artifacts.download_artifacts", "mlflow.tracking.MlflowClient.download_artifacts",
        "mlflow.MlflowClient.download_artifacts", "modelscope.snapshot_download",
        "modelscope.hub.snapshot_download.snapshot_download", "timm.models.load_checkpoint")],
    *_typ("huggingface_hub.HfApi", "huggingface_hub.HfApi"),
    *_typ("mlflow.tracking.MlflowClient", "mlflow.tracking.MlflowClient", "mlflow.MlflowClient"),
    Model("huggingface_hub.Repository", "download", "model-hub", to=0, to_kw="local_dir", when="clone_from!=missing|None"),
    Model("torch.hub.download_url_to_file", "download", "model-hub", to=1, to_kw="dst"),
    Model("torch.hub.load_state_dict_from_url", "runs-remote", "model-hub", rule="RCE002", unless="weights_only=True",
          returns=True),
    Model("torch.utils.model_zoo.load_url", "runs-remote", "model-hub", rule="RCE002", unless="weights_only=True",
          returns=True),
    Model("torch.hub.load", "runs-remote", "model-hub", rule="RCE003", unless="source=local", pinned="repo_or_dir@0"),
    *[Model(f"*.{m}", "runs-remote", "model-hub", rule="RCE003", when="trust_remote_code=True", pinned="revision")
      for m in ("from_pretrained", "from_config")],
    *[Model(a, "runs-remote", "model-hub", rule="RCE003", when="trust_remote_code=True", pinned="revision")
      for a in ("transformers.pipeline", "datasets.load_dataset", "sentence_transformers.SentenceTransformer",
                "vllm.LLM")],
    # remote filesystems and object stores
    Model("fsspec.open", "download", "cloud-storage", when="arg0:url"),
    Model("smart_open.open", "download", "cloud-storage", when="arg0:url"),
    *_typ("fsspec.Remote", "s3fs.S3FileSystem", "gcsfs.GCSFileSystem", "adlfs.AzureBlobFileSystem"),
    Model("fsspec.Remote.open", "download", "cloud-storage"),
    Model("fsspec.Remote.get", "download", "cloud-storage", to=1, to_kw="lpath"),
    *_src("cloud-storage", *_on("fsspec.Remote", "cat", "cat_file", "read_bytes", "read_text")),
    *_typ("boto3.Client", "boto3.client", "boto3.session.Session.client", "boto3.Session.client"),
    *_typ("boto3.Resource", "boto3.resource", "boto3.session.Session.resource", "boto3.Session.resource"),
    *_typ("boto3.Session", "boto3.Session", "boto3.session.Session"),
    *_typ("boto3.Bucket", "boto3.Resource.Bucket"),
    *_typ("boto3.Object", "boto3.Resource.Object", "boto3.Bucket.Object"),
    Model("boto3.Client.download_file", "download", "cloud-storage", to=2, to_kw="Filename"),
    Model("boto3.Bucket.download_file", "download", "cloud-storage", to=1, to_kw="Filename"),
    Model("boto3.Object.download_file", "download", "cloud-storage", to=0, to_kw="Filename"),
    Model("boto3.Client.download_fileobj", "download", "cloud-storage", to=2, to_kw="Fileobj"),
    *_src("cloud-storage", "boto3.Client.get_object", "boto3.Object.get"),
    *_typ("google.cloud.storage.Client", "google.cloud.storage.Client"),
    *_typ("google.cloud.storage.Bucket", "google.cloud.storage.Client.bucket", "google.cloud.storage.Client.get_bucket",
          "google.cloud.storage.Bucket", "google.cloud.storage.Client.lookup_bucket"),
    *_typ("google.cloud.storage.Blob", "google.cloud.storage.Bucket.blob", "google.cloud.storage.Bucket.get_blob",
          "google.cloud.storage.Blob", "google.cloud.storage.Blob.from_string"),
    Model("google.cloud.storage.Blob.download_to_filename", "download", "cloud-storage", to=0, to_kw="filename"),
    Model("google.cloud.storage.Blob.download_to_file", "download", "cloud-storage", to=0, to_kw="file_obj"),
    *_src("cloud-storage", *_on("google.cloud.storage.Blob", "download_as_bytes", "download_as_string",
                                "download_as_text")),
]

QUEUE_ROWS: List[Model] = [
    *_typ("zmq.Context", "zmq.Context", "zmq.Context.instance", "zmq.asyncio.Context", "zmq.asyncio.Context.instance",
          "zmq.green.Context"),
    *_typ("zmq.Socket", "zmq.Context.socket", "zmq.Socket", "zmq.asyncio.Socket"),
    *_src("zeromq", *_on("zmq.Socket", "recv", "recv_multipart", "recv_string", "recv_json")),
    *[Model(a, "runs-remote", "zeromq", rule="RCE002", returns=True)
      for a in _on("zmq.Socket", "recv_pyobj", "recv_serialized")],
    Model("zmq.eventloop.zmqstream.ZMQStream.on_recv", "callback", "zeromq", args=(0,)),
    Model("zmq.eventloop.zmqstream.ZMQStream.on_recv_stream", "callback", "zeromq", args=(0,)),
    *_typ("zmq.eventloop.zmqstream.ZMQStream", "zmq.eventloop.zmqstream.ZMQStream"),
    *_typ("multiprocessing.connection.Listener", "multiprocessing.connection.Listener"),
    *_typ("multiprocessing.connection.Connection", "multiprocessing.connection.Listener.accept",
          "multiprocessing.connection.Client", "multiprocessing.connection.Connection"),
    Model("multiprocessing.connection.Connection.recv", "runs-remote", "ipc", rule="RCE002", returns=True),
    *_src("ipc", "multiprocessing.connection.Connection.recv_bytes"),
    # message brokers configured to accept pickled messages
    Model("kombu.Consumer", "runs-remote", "message-queue", rule="RCE002", when="accept~pickle"),
    Model("kombu.Connection.Consumer", "runs-remote", "message-queue", rule="RCE002", when="accept~pickle"),
    Model("celery.Celery", "runs-remote", "message-queue", rule="RCE002", when="accept_content~pickle"),
    Model("*.conf.update", "runs-remote", "message-queue", rule="RCE002", when="accept_content~pickle"),
    Model("kombu.Queue.get", "source", "message-queue"),
    # RPC servers and other registries that call a function with what a client sent
    Model("*.register_function", "callback", "rpc", args=(0,), kwargs=("function",)),
    Model("*.register_instance", "callback", "rpc", args=(0,), kwargs=("instance",), instances=True),
    Model("websockets.serve", "callback", "websocket", args=(0,), kwargs=("handler", "ws_handler")),
    Model("websockets.server.serve", "callback", "websocket", args=(0,), kwargs=("handler", "ws_handler")),
    Model("websockets.asyncio.server.serve", "callback", "websocket", args=(0,), kwargs=("handler",)),
]

WEB_ROWS: List[Model] = [
    # routes registered by a call rather than a decorator: every function argument is a view
    Model("django.urls.path", "callback", "http-request", args=(1,), kwargs=("view",)),
    Model("django.urls.re_path", "callback", "http-request", args=(1,), kwargs=("view",)),
    Model("django.conf.urls.url", "callback", "http-request", args=(1,), kwargs=("view",)),
    Model("*.add_url_rule", "callback", "http-request", args=(2,), kwargs=("view_func",)),
    Model("*.add_api_route", "callback", "http-request", args=(1,), kwargs=("endpoint",)),
    Model("*.add_api_websocket_route", "callback", "http-request", args=(1,), kwargs=("endpoint",)),
    Model("*.add_route", "callback", "http-request", args=(0, 1, 2), kwargs=("handler",)),
    *[Model(f"*.add_{v}", "callback", "http-request", args=(1,), kwargs=("handler",))
      for v in ("get", "post", "put", "patch", "delete")],
    Model("starlette.routing.Route", "callback", "http-request", args=(1,), kwargs=("endpoint",)),
    Model("starlette.routing.WebSocketRoute", "callback", "http-request", args=(1,), kwargs=("endpoint",)),
    Model("fastapi.routing.APIRoute", "callback", "http-request", args=(1,), kwargs=("endpoint",)),
]

SINK_ROWS: List[Model] = [
    Model("sympy.sympify", "sink", K.CODE, (0,), ("a",)),
    Model("sympy.core.sympify.sympify", "sink", K.CODE, (0,), ("a",)),
    Model("sympy.parse_expr", "sink", K.CODE, (0,), ("s",)),
    Model("sympy.parsing.sympy_parser.parse_expr", "sink", K.CODE, (0,), ("s",)),
    Model("sympy.parsing.parse_expr", "sink", K.CODE, (0,), ("s",)),
    Model("numexpr.evaluate", "sink", K.CODE, (0,), ("ex",)),
    Model("pandas.eval", "sink", K.CODE, (0,), ("expr",), when="engine=python"),
    Model("*.query", "sink", K.CODE, (0,), ("expr",), when="engine=python"),
    Model("*.eval", "sink", K.CODE, (0,), ("expr",), when="engine=python"),
    Model("js2py.eval_js", "sink", K.CODE, (0,), ("js",)),
    Model("js2py.eval_js6", "sink", K.CODE, (0,), ("js",)),
    *_typ("js2py.EvalJs", "js2py.EvalJs"),
    Model("js2py.EvalJs.execute", "sink", K.CODE, (0,), ("js",)),
    Model("js2py.EvalJs.eval", "sink", K.CODE, (0,), ("expression",)),
    Model("importlib.import_module", "sink", K.CODE, (0,), ("name",), unless="name@0:folds"),
    Model("builtins.__import__", "sink", K.CODE, (0,), ("name",), unless="name@0:folds"),
    Model("importlib.__import__", "sink", K.CODE, (0,), ("name",), unless="name@0:folds"),
    Model("logging.config.listen", "runs-remote", "socket", rule="RCE001", unless="verify@1!=missing|None"),
    *_typ("code.InteractiveConsole", "code.InteractiveConsole"),
    *_typ("code.InteractiveInterpreter", "code.InteractiveInterpreter"),
    Model("_xxsubinterpreters.run_string", "sink", K.CODE, (1,), ("script",)),
    Model("_interpreters.run_string", "sink", K.CODE, (1,), ("script",)),
    Model("_interpreters.exec", "sink", K.CODE, (1,), ("code",)),
    *_typ("interpreters.Interpreter", "interpreters.create", "concurrent.interpreters.create",
          "test.support.interpreters.create"),
    Model("interpreters.Interpreter.exec", "sink", K.CODE, (0,), ("code",)),
    Model("interpreters.Interpreter.run", "sink", K.CODE, (0,), ("code",)),
    *[Model(f"os.{f}", "sink", K.CMD, (0,), ("cmd",)) for f in ("popen2", "popen3", "popen4")],
    *[Model(f"popen2.{f}", "sink", K.CMD, (0,), ("cmd",)) for f in ("popen2", "popen3", "popen4")],
    Model("*.subprocess_shell", "sink", K.CMD, (1,), ("cmd",)),
    Model("*.subprocess_exec", "sink", K.PROCESS, (1,), ("program",), program=1, argv="rest"),
    *_typ("asyncio.AbstractEventLoop", "asyncio.get_event_loop", "asyncio.get_running_loop", "asyncio.new_event_loop"),
    Model("*.run_in_executor", "calls", args=(1,), to=2),
    Model("asyncio.to_thread", "calls", args=(0,), to=1),
    Model("*.call_soon", "calls", args=(0,), to=1),
    Model("*.call_soon_threadsafe", "calls", args=(0,), to=1),
    Model("*.call_later", "calls", args=(1,), to=2),
    Model("builtins.map", "calls", args=(0,), to=1),
    *_typ("concurrent.futures.Executor", "concurrent.futures.ThreadPoolExecutor",
          "concurrent.futures.ProcessPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor",
          "concurrent.futures.process.ProcessPoolExecutor"),
    Model("concurrent.futures.Executor.submit", "calls", args=(0,), to=1),
    Model("concurrent.futures.Executor.map", "calls", args=(0,), to=1),
    Model("*.submit", "calls", args=(0,), to=1, fallback=True),  # an executor of unknown type
    *[Model(t, "calls", kwargs=("target",)) for t in ("threading.Thread", "multiprocessing.Process",
                                                       "multiprocessing.context.Process")],
    *[Model(f"{m}.models.load_model", "sink", K.DATA, (0,), ("filepath",), unless="safe_mode=missing|True")
      for m in ("keras", "tensorflow.keras", "tf_keras")],
    Model("keras.saving.load_model", "sink", K.DATA, (0,), ("filepath",), unless="safe_mode=missing|True"),
    Model("skops.io.load", "sink", K.DATA, (0,), ("file",), unless="trusted=missing|None|False"),
    Model("skops.io.loads", "sink", K.DATA, (0,), ("data",), unless="trusted=missing|None|False"),
    Model("dill.load_session", "sink", K.DATA, (0,), ("filename",)),
    Model("cloudpickle.load", "sink", K.DATA, (0,), ("file",)),
    Model("shelve.DbfilenameShelf", "sink", K.DATA, (0,), ("filename",)),
    Model("joblib.numpy_pickle.load", "sink", K.DATA, (0,), ("filename",)),
    Model("numpy.lib.npyio.load", "sink", K.DATA, (0,), ("file",), unless="allow_pickle=missing|False|None|0"),
    Model("torch.serialization.load", "sink", K.DATA, (0,), ("f",), unless="weights_only=True"),
    Model("mlflow.pyfunc.load_model", "sink", K.DATA, (0,), ("model_uri",)),
    Model("mlflow.sklearn.load_model", "sink", K.DATA, (0,), ("model_uri",)),
]

# regular expressions: a match object (and its groups) carries the subject string, not the pattern
PROPAGATION_ROWS: List[Model] = [
    *[r for f in ("match", "search", "fullmatch") for r in (
        Model(f"re.{f}", "propagates", args=(1,), kwargs=("string",)),
        Model(f"re.{f}", "type", type="re.Match"),
        Model(f"re.Pattern.{f}", "propagates", args=(0,), kwargs=("string",)),
        Model(f"re.Pattern.{f}", "type", type="re.Match"))],
    Model("re.compile", "type", type="re.Pattern"),
    *[Model(f"re.Match.{m}", "propagates", args=(-1,)) for m in ("group", "groups", "groupdict", "__getitem__",
                                                                  "expand")],
]

# decoders beyond the functions of propagators.DECODERS: decompressor objects, ciphers whose key and
# token are in the file, steganography readers. A decoded constant is an encoded payload (RCE005);
# ``kind="file"``: argument 0 names a file (an image) whose hidden content is the result, so a
# downloaded file gives network data and a constant path an encoded payload.
DECODE_ROWS: List[Model] = [
    *_typ("zlib.Decompress", "zlib.decompressobj"),
    *_typ("bz2.BZ2Decompressor", "bz2.BZ2Decompressor"),
    *_typ("lzma.LZMADecompressor", "lzma.LZMADecompressor"),
    # ciphers: only an object made with a constant key is a decoder (the key and the token are in the file)
    Model("cryptography.fernet.Fernet", "type", type="cryptography.fernet.Fernet", when="key@0:const"),
    Model("cryptography.fernet.Fernet.decrypt", "decodes", args=(0,), kwargs=("token",)),
    Model("cryptography.fernet.Fernet.decrypt_at_time", "decodes", args=(0,), kwargs=("token",)),
    *[Model(f"{pkg}.Cipher.{c}.new", "type", type="Crypto.Cipher.Cipher", when="key@0:const")
      for pkg in ("Crypto", "Cryptodome") for c in ("AES", "DES", "DES3", "ARC2", "ARC4", "Blowfish", "CAST", "ChaCha20", "ChaCha20_Poly1305", "Salsa20")],
    *[Model(f"Crypto.Cipher.Cipher.{m}", "decodes", args=(0,), kwargs=("ciphertext",))
      for m in ("decrypt", "decrypt_and_verify")],
    Model("cryptography.hazmat.primitives.ciphers.Cipher", "type", type="cryptography.hazmat.primitives.ciphers.Cipher"),
    Model("cryptography.hazmat.primitives.ciphers.Cipher.decryptor", "type",
          type="cryptography.hazmat.primitives.ciphers.CipherContext"),
    Model("cryptography.hazmat.primitives.ciphers.CipherContext.update", "decodes", args=(0,), kwargs=("data",)),
    # steganography: the message hidden in an image file (kind "file": a downloaded image is network data)
    *[Model(a, "decodes", "file", args=(0,)) for a in (
        "stegano.lsb.reveal", "stegano.lsb.lsb.reveal", "stegano.lsbset.reveal", "stegano.red.reveal",
        "stegano.red.red.reveal", "stegano.exifHeader.reveal", "stegano.exifHeader.exifHeader.reveal",
        "steganography.steganography.Steganography.decode", "stepic.decode", "stepic.decode_imdata")],
]

# ----------------------------------------------------------------------------------- files and digests
# reading from a file handle / Path: turns "a downloaded file" into "downloaded data" (``reads``
# fallback rows; what a digest of ``f.read()`` covers is the file of ``f``)
READ_METHODS = ("read", "read_text", "read_bytes", "readline", "readlines", "getvalue", "read1", "readall")
_HASHLIB = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384", "sha3_512",
            "blake2b", "blake2s", "shake_128", "shake_256")

# Which file a path expression names ("same path" matching: a download saved to a path and read
# back from the same path), and which data an integrity check covers. These rows say nothing about
# the value a call returns, except ``path`` (see the module docstring).
FILE_ROWS: List[Model] = [
    # builders whose result names the same file as their parts
    *[Model(a, "path") for a in (
        "os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath",
        "pathlib.WindowsPath", "os.fspath", "builtins.str", "os.path.abspath", "os.path.realpath",
        "os.path.normpath", "os.path.expanduser", "os.path.expandvars", "pathlib.Path.joinpath")],
    Model("*.joinpath", "path", args=(-1,), fallback=True),  # p.joinpath(a, b) is p / a / b
    *[Model(f"*.{m}", "sibling", args=(-1,), fallback=True) for m in ("with_suffix", "with_name")],
    # a new name at each call: two calls never name the same file
    *[Model(a, "temp-path") for a in (
        "tempfile.mktemp", "tempfile.mkstemp", "tempfile.mkdtemp", "tempfile.NamedTemporaryFile",
        "tempfile.TemporaryDirectory", "uuid.uuid4", "os.urandom", "secrets.token_hex")],
    *[Model(a, "temp-file") for a in (
        "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile", "tempfile.SpooledTemporaryFile")],
    # openers of a file named by an argument (``open`` and friends are ``opens`` rows: they imply this)
    *[Model(a, "handle", args=(0,)) for a in ("gzip.open", "bz2.open", "lzma.open", "aiofiles.open", "os.fdopen")],
    Model("*.open", "handle", args=(-1,), fallback=True),  # Path(p).open(): the file of the receiver
]

INTEGRITY_ROWS: List[Model] = [
    *[Model(f"hashlib.{a}", "digest", args=(0,), kwargs=("string", "data")) for a in _HASHLIB],
    Model("hashlib.new", "digest", args=(1,), kwargs=("data", "string")),
    Model("hashlib.file_digest", "digest", args=(0,), kwargs=("fileobj",)),
    Model("zlib.crc32", "digest", args=(0,), kwargs=("data",)),
    Model("zlib.adler32", "digest", args=(0,), kwargs=("data",)),
    Model("hmac.new", "keyed-digest", args=(1,), kwargs=("msg",)),
    Model("hmac.digest", "keyed-digest", args=(1,), kwargs=("msg",)),
    # the digest of a digest object (h = hashlib.sha256(); h.update(data); h.hexdigest())
    *[Model(f"*.{m}", "digest", args=(-1,), fallback=True) for m in ("hexdigest", "digest")],
    # the same digest in another spelling: digest.lower() == PINNED
    *[Model(f"*.{m}", "propagates", args=(-1,), fallback=True) for m in ("lower", "upper", "strip", "decode", "hex")],
    Model("hmac.compare_digest", "compares", args=(0, 1)),
    Model("secrets.compare_digest", "compares", args=(0, 1)),
]

# classes whose subclasses' methods run by themselves at install time: setup.py commands
INSTALL_ROWS: List[Model] = [
    Model(r"re:^(?:setuptools|distutils)\.command\.", "install-hook"),
    Model(r"re:^setuptools\.Command", "install-hook"),
    Model(r"re:^distutils\.cmd\.Command", "install-hook"),
]

# AWS Lambda Powertools event handlers: ``app = APIGatewayRestResolver()``; routes are
# ``@app.get("/x")`` (a route by its shape); the request is ``app.current_event``
_POWERTOOLS = "aws_lambda_powertools.event_handler"
_POWERTOOLS_RESOLVER = f"{_POWERTOOLS}.Resolver"
_POWERTOOLS_CLASSES = ("APIGatewayRestResolver", "APIGatewayHttpResolver", "ApiGatewayResolver", "ALBResolver",
                       "LambdaFunctionUrlResolver", "VPCLatticeResolver", "VPCLatticeV2Resolver", "BedrockAgentResolver",
                       "Router")
_POWERTOOLS_MODULES = ("", ".api_gateway", ".lambda_function_url", ".vpc_lattice", ".bedrock_agent", ".router")
SERVERLESS_ROWS: List[Model] = [
    *_typ(_POWERTOOLS_RESOLVER, *sorted({f"{_POWERTOOLS}{m}.{c}" for m in _POWERTOOLS_MODULES
                                         for c in _POWERTOOLS_CLASSES})),
    Model(f"{_POWERTOOLS_RESOLVER}.current_event", "holds", "http-request"),
]

# the named conditions of knowledge/sinks.py as keyword conditions
_UNLESS = {
    "yaml_safe_loader": "Loader@1=" + "|".join(sorted(Z.SAFE_YAML_LOADERS)),
    "torch_weights_only": "weights_only=True",
    "numpy_no_pickle": "allow_pickle=missing|False|None|0",
}
_ARGV = {**{f"os.{f}": "execl" for f in ("execl", "execle", "execlp", "execlpe", "spawnl", "spawnle", "spawnlp",
                                          "spawnlpe")},
         **{f"os.{f}": "execv" for f in ("execv", "execve", "execvp", "execvpe", "spawnv", "spawnve", "spawnvp",
                                          "spawnvpe", "posix_spawn", "posix_spawnp")},
         "asyncio.create_subprocess_exec": "rest"}


def _table_rows() -> List[Model]:
    """The older tables of sources.py, sinks.py, propagators.py and sanitizers.py as rows."""
    rows: List[Model] = []
    for a in sorted(S.CALL_SOURCES):
        rows.append(Model(a, "source", _source_kind_of_table(a)))
    for b, ms in sorted(S.CLASS_METHOD_SOURCES.items()):
        rows += [Model(f"{b}.{m}", "source", "http-request") for m in ms]
    rows += [Model(f"{S.REQUEST_TYPE}.{m}", "source", "http-request") for m in sorted(S.REQUEST_METHODS)]
    for a, s in sorted(K.SINKS.items()):
        rows.append(Model(a, "sink", s.kind, s.args, s.kwargs, unless=_UNLESS.get(s.unless, s.unless),
                          program=s.program, argv=_ARGV.get(a, "")))
    for a, t in sorted(S.CONSTRUCTORS.items()):
        rows.append(Model(a, "type", type=t))
    for a, i in sorted(P.COMPILERS.items()):
        rows.append(Model(a, "compiles", args=(i,), kwargs=("source",)))
    for a in sorted(P.DECODERS):
        rows.append(Model(a, "decodes", args=(0,),
                          when=f"encoding@{P.CODEC_ARG_DECODERS[a]}:codec" if a in P.CODEC_ARG_DECODERS else ""))
    for a in sorted(Z.VERIFY_FUNCTIONS):
        rows.append(Model(a, "check"))
    for a, i in sorted(K.SYS_PATH_ADDERS.items()):
        rows.append(Model(a, "importable", args=(i,)))
    for a in sorted(K.IMPORTERS):
        rows.append(Model(a, "imports"))
    for a in ("urllib.request.urlretrieve", "urllib.urlretrieve"):
        rows.append(Model(a, "download", "download", to=1, to_kw="filename"))
    rows.append(Model("shutil.copyfileobj", "writes", args=(0,), to=1))
    for a in ("shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.move", "os.rename", "os.replace"):
        rows.append(Model(a, "copies", args=(0,), to=1))
    rows.append(Model("os.chmod", "chmod", args=(0,)))
    for a, i in sorted(S.CALLBACK_SOURCES.items()):
        rows.append(Model(a, "callback", "socket", args=(i,)))
    rows.append(Model("builtins.getattr", "getattr"))
    rows.append(Model("functools.partial", "partial"))
    for a in ("builtins.open", "io.open", "codecs.open", "pathlib.Path.open"):
        rows.append(Model(a, "opens", args=(0,)))
    for a in ("tarfile.open", "zipfile.ZipFile", "tarfile.TarFile"):
        rows.append(Model(a, "archive", args=(0,)))
    for a in sorted(P.NON_PROPAGATING):
        rows.append(Model(a, "clean"))
    for p in P.NON_PROPAGATING_PREFIXES:
        rows.append(Model("re:^" + p.replace(".", r"\.") + ".*", "clean"))
    for a in ("importlib.util.spec_from_file_location", "importlib.machinery.SourceFileLoader",
              "importlib.machinery.SourcelessFileLoader", "importlib.util.module_from_spec"):
        rows.append(Model(a, "loader"))
    for a in sorted(P.CHAR_DECODERS):
        rows.append(Model(a, "chars"))
    for a in ("os.dup2", "os.dup3", "posix.dup2"):
        rows.append(Model(a, "redirects"))
    rows.append(Model("socket.socket.fileno", "type", type=SOCKET_FD_TYPE))
    return rows + _entry_rows()


def _entry_rows() -> List[Model]:
    """Attributes that hold outside data, and entry points (decorators, overridden methods)."""
    rows = [Model(n, "holds", "http-request") for n in sorted(S.NAME_SOURCES)]
    rows += [Model(f"{S.REQUEST_TYPE}.{a}", "holds", "http-request") for a in sorted(S.REQUEST_ATTRS)]
    for b, fields in sorted(S.CLASS_FIELD_SOURCES.items()):
        kind = "socket" if b.startswith(("socketserver.", "SocketServer.")) else "http-request"
        rows += [Model(f"{b}.{f}", "holds", kind) for f in fields]
    for b, methods in sorted(S.CALLBACK_METHODS.items()):
        kind = ("socket" if b.startswith(("socketserver.", "SocketServer.")) else "http-request") \
            if b in S.CLASS_FIELD_SOURCES else CALLBACK_METHOD_KINDS[b]
        rows += [Model(f"{b}.{m}", "entry", kind) for m in methods]
    rows += [Model(d, "entry", k) for d, k in sorted(DECORATOR_SOURCES.items())]
    rows += [Model(f"*.{m}", "entry", k) for m, k in sorted(DECORATOR_METHOD_SOURCES.items())]
    rows += ENTRY_PATTERN_ROWS
    return rows


def _method_rows() -> List[Model]:
    """Methods of objects of any type, applied when nothing else knows the call (fallback rows)."""
    rows: List[Model] = []
    for m in sorted(K.FILE_METHOD_SINKS):  # spec.loader.exec_module(module) of a downloaded file
        rows.append(Model(f"*.{m}", "sink", K.FILE, (-1, 0), fallback=True))
    for m in sorted(Z.VERIFY_METHODS):  # key.verify(signature, data): a signature check that raises
        rows.append(Model(f"*.{m}", "check", fallback=True))
    for m in ("write", "writelines", "write_bytes", "write_text"):
        rows.append(Model(f"*.{m}", "writes", args=(0,), to=-1, fallback=True))
    rows.append(Model("*.extractall", "extracts", to=0, to_kw="path", fallback=True))
    rows.append(Model("*.extract", "extracts", to=1, to_kw="path", fallback=True))
    rows.append(Model("*.chmod", "chmod", args=(-1,), fallback=True))
    for m in sorted(READ_METHODS):
        rows.append(Model(f"*.{m}", "reads", args=(-1,), fallback=True))
    rows.append(Model(f"*.{Z.HASHER_UPDATE}", "hashes", args=(0,), fallback=True))
    for m in sorted(P.MUTATORS):
        rows.append(Model(f"*.{m}", "stores", fallback=True))
    for m in sorted(P.CLEAN_METHODS):
        rows.append(Model(f"*.{m}", "clean", fallback=True))
    rows.append(Model("*.join", "decodes", args=(-1,), when="arg0:chars", fallback=True))
    rows.append(Model("*.decode", "decodes", args=(-1,), when="encoding@0:codec", fallback=True))
    return rows


def builtin_rows() -> List[Model]:
    """Every built-in row, in a stable order."""
    return (_table_rows() + _method_rows() + LLM_ROWS + HUB_ROWS + QUEUE_ROWS + WEB_ROWS + SINK_ROWS + PROPAGATION_ROWS
            + DECODE_ROWS + FILE_ROWS + INTEGRITY_ROWS + INSTALL_ROWS + SERVERLESS_ROWS)


# Precedence of the effects that give a call its result (the first that applies wins); "sink",
# "type", "runs-remote" and "check"-less rows add to it.
RESULT_ORDER = ("source", "compiles", "decodes", "check", "importable", "imports", "download", "writes", "copies",
                "chmod", "extracts", "reads", "hashes", "redirects", "callback", "calls", "getattr", "partial",
                "opens", "archive", "path", "clean", "loader", "chars", "propagates")
SIDE_EFFECTS = ("sink", "runs-remote", "type", "stores")
NON_CALL_EFFECTS = ("holds", "entry", "install-hook")  # rows about attributes and definitions, not calls
# rows the file-identity and integrity analyses read; they say nothing about the call's value
KEY_EFFECTS = ("digest", "keyed-digest", "compares", "handle", "temp-path", "temp-file", "sibling")
EFFECTS = RESULT_ORDER + SIDE_EFFECTS + NON_CALL_EFFECTS + KEY_EFFECTS
# effects a user may write in [tool.rceguard.models]
USER_EFFECTS = ("source", "download", "writes", "copies", "opens", "sink", "runs-remote", "propagates", "type",
                "check", "callback", "calls", "decodes", "clean", "path", "reads", "stores", "extracts", "holds",
                "entry", "install-hook") + KEY_EFFECTS
SINK_KINDS = (K.CODE, K.DATA, K.CMD, K.FILE, K.PROCESS)


def sink_names(rows: Optional[Iterable[Model]] = None) -> List[str]:
    """Every API that is a sink (or fetches and runs outside data itself)."""
    return sorted({r.api for r in (builtin_rows() if rows is None else rows) if r.effect in ("sink", "runs-remote")})


def source_names(rows: Optional[Iterable[Model]] = None) -> List[str]:
    """Every API whose result (or whose callbacks' parameters) is outside data."""
    return sorted({r.api for r in (builtin_rows() if rows is None else rows)
                   if r.effect in ("source", "download", "runs-remote", "callback")})


_GENERIC_MODULES = {"builtins", "os", "logging", "asyncio", "importlib", "multiprocessing", "code", "io", "re",
                    "pathlib", "shutil", "urllib", "sys", "functools", "codecs", "tarfile", "zipfile", "google",
                    "azure", "popen2", "test", "concurrent"}
# too common to say anything about a file
_STOP_TOKENS = {"open", "http", "web", "llm", "Client", "Connection", "accept", "tool", "asyncio", "google", "push",
                "get", "run", "chat", "query", "eval", "map", "update", "load", "create", "blob", "LM", "Object",
                "Router", "Socket", "Kernel", "Bucket", "Blob", "AsyncClient", "ReAct", "Predict"}


def _cond_keyword(cond: str) -> str:
    return cond.split("=")[0].split("~")[0].split("!")[0].split("@")[0].split(":")[0]


def _token(api: str, when: str = "", unless: str = "") -> str:
    """One literal a file using ``api`` must hold: the keyword a condition needs, else the module
    (or the method name, for rows of any receiver and of generic modules)."""
    need = when or (unless if "!=" not in unless and "missing" in unless.partition("=")[2].split("|") else "")
    kw = _cond_keyword(need) if need and need[0].isalpha() else ""
    if kw and kw not in _STOP_TOKENS and not kw.startswith("arg"):
        return kw
    if api.startswith("re:"):
        out = ""
        for ch in api[3:].lstrip("^"):
            if not (ch.isalnum() or ch == "_"):
                break
            out += ch
        return out
    if api.startswith("*."):
        return api.rsplit(".", 1)[-1]
    first = api.split(".")[0]
    return api.rsplit(".", 1)[-1] if first in _GENERIC_MODULES else first


def prescan_tokens(rows: Optional[Iterable[Model]] = None) -> Tuple[Tuple[bytes, ...], Tuple[bytes, ...]]:
    """Literal tokens for the byte-level pre-scan: (sink-like, origin-like), from the rows (default:
    the rows beyond the older tables, whose tokens the pre-scan lists itself) and the entry-point
    tables: the module a row's API lives in, or its method name for ``*.`` rows."""
    rows = list(LLM_ROWS + HUB_ROWS + QUEUE_ROWS + WEB_ROWS + SINK_ROWS + SERVERLESS_ROWS) if rows is None else list(rows)
    def typed(effects: tuple) -> set:  # the types that have a method row of one of these effects
        apis = [r.api for r in rows if r.effect in effects]
        return {r.type for r in rows if r.effect == "type" and any(a.startswith(r.type + ".") for a in apis)}

    # where an object of a type is made is a source's token when the type reads outside data (an
    # LLM client), a sink's when it only runs code (an interpreter): not an origin, or every file
    # of a package named like its constructor's module (`test`) would seem to read outside data
    source_types = typed(("source", "download", "runs-remote"))
    sink_types = typed(("sink",)) - source_types
    sinks, origins = set(), set()
    for r in rows:
        if r.effect in ("sink", "runs-remote"):
            sinks.add(_token(r.api, r.when, r.unless))
        if r.effect in ("source", "download", "runs-remote", "callback", "holds") or (
                r.effect == "type" and r.type in source_types):
            origins.add(_token(r.api, r.when if r.effect != "download" else ""))
        elif r.effect == "type" and r.type in sink_types:
            sinks.add(_token(r.api, r.when))
        if r.effect == "type" and r.type in source_types | sink_types and not r.api.startswith(("re:", "*.")):
            last = r.api.rsplit(".", 1)[-1]
            if last[:1].isupper():  # a client built in __init__ and used in another method
                (origins if r.type in source_types else sinks).add(last)
    origins |= {d.split(".")[0] for d in DECORATOR_SOURCES if d.split(".")[0] not in _GENERIC_MODULES}
    origins |= {d.rsplit(".", 2)[-2] for d in DECORATOR_SOURCES if d.split(".")[0] in _GENERIC_MODULES}
    origins |= set(DECORATOR_METHOD_SOURCES)
    for b, ms in S.CALLBACK_METHODS.items():
        if b.split(".")[0] in _GENERIC_MODULES:
            origins |= set(ms)
        else:
            origins.add(b.split(".")[0])
    origins |= {"_pb2_grpc", "rpyc", "event, context"} | set(RESPONDER_METHODS)
    sinks |= {"Interactive"}
    sinks -= _STOP_TOKENS | {""}
    origins -= _STOP_TOKENS | {""}
    return tuple(sorted(t.encode() for t in sinks)), tuple(sorted(t.encode() for t in origins))


def table(kind: str = "") -> str:
    """The built-in rows as a plain-text table (``rceguard models [--kind K]``). ``kind`` keeps the
    rows of that effect, source kind or sink kind."""
    rows = [r for r in builtin_rows() if not kind or kind in (r.effect, r.kind)]
    lines = []
    if not kind:
        lines.append("Source kinds (turn one off with [tool.rceguard] sources = [\"-<kind>\"]):")
        lines += [f"  {k:<17} {v}" for k, v in SOURCE_KINDS.items()]
        lines.append("")
    w = min(max([len(r.api) for r in rows] + [3]), 56)
    ew = max([len(r.effect) for r in rows] + [11])
    lines.append(f"{'API':<{w}}  {'EFFECT':<{ew}}  {'KIND':<15}  WHAT IT DOES")
    for r in rows:
        lines.append(f"{r.api:<{w}}  {r.effect:<{ew}}  {r.kind or '-':<15}  {r.describe()}")
    lines.append("")
    lines.append(f"{len(rows)} rows. Entry points recognised by their shape (web route decorators, serverless "
                 "handlers, Falcon responders, request parameters) are in rceguard/knowledge/models.py and sources.py.")
    return "\n".join(lines) + "\n"


def kinds_for_filter() -> List[str]:
    return sorted(set(EFFECTS) | set(SOURCE_KINDS) | set(SINK_KINDS))
