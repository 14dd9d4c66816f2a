"""Where network data comes from. One entry per API; the flow engine reads these tables only.

Names are fully qualified as you would import them (``requests.get``), methods as
``<type>.<method>`` where ``<type>`` is the key the constructor table gives the object.
"""
from __future__ import annotations

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

# --- calls whose return value is network data (a response, bytes, text ...) -------------------
CALL_SOURCES = {
    # requests
    *(f"requests.{v}" for v in _HTTP_VERBS),
    *(f"requests.api.{v}" for v in _HTTP_VERBS),
    *(f"requests.Session.{v}" for v in _HTTP_VERBS),
    "requests.Session.send",
    # urllib
    "urllib.request.urlopen",
    "urllib.request.OpenerDirector.open",
    "urllib2.urlopen",
    "urllib.urlopen",
    "six.moves.urllib.request.urlopen",
    # urllib3
    "urllib3.request",
    "urllib3.PoolManager.request",
    "urllib3.PoolManager.urlopen",
    "urllib3.PoolManager.request_encode_url",
    "urllib3.PoolManager.request_encode_body",
    "urllib3.HTTPConnectionPool.request",
    "urllib3.HTTPConnectionPool.urlopen",
    # http.client
    "http.client.HTTPConnection.getresponse",
    "httplib.HTTPConnection.getresponse",
    # httpx
    *(f"httpx.{v}" for v in _HTTP_VERBS),
    "httpx.stream",
    *(f"httpx.Client.{v}" for v in _HTTP_VERBS),
    "httpx.Client.send",
    "httpx.Client.stream",
    *(f"httpx.AsyncClient.{v}" for v in _HTTP_VERBS),
    "httpx.AsyncClient.send",
    "httpx.AsyncClient.stream",
    # aiohttp
    *(f"aiohttp.ClientSession.{v}" for v in _HTTP_VERBS),
    "aiohttp.ClientSession.ws_connect",
    "aiohttp.request",
    # sockets and streams
    "socket.socket.recv",
    "socket.socket.recvfrom",
    "socket.socket.recvmsg",
    "socket.socket.makefile",
    "asyncio.open_connection",
    "asyncio.open_unix_connection",
    # others
    "tornado.httpclient.AsyncHTTPClient.fetch",
    "tornado.httpclient.HTTPClient.fetch",
    "websockets.Connection.recv",
    "websocket.WebSocket.recv",
    "websocket.WebSocket.recv_data",
    "ftplib.FTP.retrlines",
    "pycurl.Curl.perform_rs",
    "pycurl.Curl.perform_rb",
}

# --- constructors / factories: calling them gives an object of the named type -----------------
CONSTRUCTORS = {
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "urllib.request.build_opener": "urllib.request.OpenerDirector",
    "urllib.request.OpenerDirector": "urllib.request.OpenerDirector",
    "urllib3.PoolManager": "urllib3.PoolManager",
    "urllib3.ProxyManager": "urllib3.PoolManager",
    "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
    "urllib3.HTTPConnectionPool": "urllib3.HTTPConnectionPool",
    "urllib3.HTTPSConnectionPool": "urllib3.HTTPConnectionPool",
    "urllib3.connection_from_url": "urllib3.HTTPConnectionPool",
    "http.client.HTTPConnection": "http.client.HTTPConnection",
    "http.client.HTTPSConnection": "http.client.HTTPConnection",
    "httplib.HTTPConnection": "httplib.HTTPConnection",
    "httplib.HTTPSConnection": "httplib.HTTPConnection",
    "httpx.Client": "httpx.Client",
    "httpx.AsyncClient": "httpx.AsyncClient",
    "aiohttp.ClientSession": "aiohttp.ClientSession",
    "socket.socket": "socket.socket",
    "socket.create_connection": "socket.socket",
    "socket.fromfd": "socket.socket",
    "socket.socket.accept": "socket.socket",
    "ssl.SSLContext.wrap_socket": "socket.socket",
    "ssl.wrap_socket": "socket.socket",
    "tornado.httpclient.AsyncHTTPClient": "tornado.httpclient.AsyncHTTPClient",
    "tornado.httpclient.HTTPClient": "tornado.httpclient.HTTPClient",
    "websockets.connect": "websockets.Connection",
    "websockets.client.connect": "websockets.Connection",
    "websocket.create_connection": "websocket.WebSocket",
    "ftplib.FTP": "ftplib.FTP",
    "pycurl.Curl": "pycurl.Curl",
}

# --- module attributes that are request data themselves (web frameworks' global request) ------
NAME_SOURCES = {
    "flask.request",
    "quart.request",
    "bottle.request",
}

# --- functions that register a callback whose parameters receive network data -----------------
# value: index of the callback argument
CALLBACK_SOURCES = {
    "asyncio.start_server": 0,
    "asyncio.start_unix_server": 0,
}

# --- request-handler base classes: fields of ``self`` that hold request data ------------------
_HTTP_HANDLER_FIELDS = ("rfile", "path", "headers", "requestline", "raw_requestline", "request")
CLASS_FIELD_SOURCES = {
    "http.server.BaseHTTPRequestHandler": _HTTP_HANDLER_FIELDS,
    "http.server.SimpleHTTPRequestHandler": _HTTP_HANDLER_FIELDS,
    "http.server.CGIHTTPRequestHandler": _HTTP_HANDLER_FIELDS,
    "BaseHTTPServer.BaseHTTPRequestHandler": _HTTP_HANDLER_FIELDS,
    "socketserver.BaseRequestHandler": ("request",),
    "socketserver.StreamRequestHandler": ("request", "rfile"),
    "socketserver.DatagramRequestHandler": ("request", "rfile"),
    "SocketServer.BaseRequestHandler": ("request",),
    "SocketServer.StreamRequestHandler": ("request", "rfile"),
    "tornado.web.RequestHandler": ("request", "path_args", "path_kwargs"),
    "tornado.websocket.WebSocketHandler": ("request",),
}
# methods of ``self`` in such classes that return request data
CLASS_METHOD_SOURCES = {
    "tornado.web.RequestHandler": (
        "get_argument", "get_arguments", "get_body_argument", "get_body_arguments",
        "get_query_argument", "get_query_arguments", "get_cookie",
    ),
}
# methods a subclass overrides whose parameters receive network data
_VIEW_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_VIEWSET_METHODS = _VIEW_METHODS + ("list", "create", "retrieve", "update", "partial_update", "destroy")
CALLBACK_METHODS = {
    "tornado.websocket.WebSocketHandler": ("on_message",),
    "tornado.web.RequestHandler": _VIEW_METHODS,
    "asyncio.Protocol": ("data_received",),
    "asyncio.BufferedProtocol": ("buffer_updated",),
    "asyncio.DatagramProtocol": ("datagram_received",),
    "asyncio.BaseProtocol": ("data_received",),
    "twisted.internet.protocol.Protocol": ("dataReceived",),
    "twisted.protocols.basic.LineReceiver": ("lineReceived", "dataReceived"),
    "twisted.internet.protocol.DatagramProtocol": ("datagramReceived",),
    # class-based web views: the URL parameters and the request
    **{b: _VIEW_METHODS + ("dispatch",) for b in (
        "django.views.View", "django.views.generic.View", "django.views.generic.base.View",
        "django.views.generic.TemplateView", "django.views.generic.FormView", "django.views.generic.RedirectView",
        "django.views.generic.DetailView", "django.views.generic.ListView")},
    **{b: _VIEWSET_METHODS for b in (
        "rest_framework.views.APIView", "rest_framework.generics.GenericAPIView", "rest_framework.generics.ListAPIView",
        "rest_framework.generics.CreateAPIView", "rest_framework.generics.RetrieveAPIView",
        "rest_framework.generics.ListCreateAPIView", "rest_framework.generics.RetrieveUpdateDestroyAPIView",
        "rest_framework.viewsets.ViewSet", "rest_framework.viewsets.GenericViewSet",
        "rest_framework.viewsets.ModelViewSet", "rest_framework.viewsets.ReadOnlyModelViewSet")},
    "flask.views.MethodView": _VIEW_METHODS,
    "flask.views.View": ("dispatch_request",),
    "quart.views.MethodView": _VIEW_METHODS,
    "aiohttp.web.View": _VIEW_METHODS,
    "sanic.views.HTTPMethodView": _VIEW_METHODS,
    "starlette.endpoints.HTTPEndpoint": _VIEW_METHODS,
    "starlette.endpoints.WebSocketEndpoint": ("on_receive",),
    "channels.generic.websocket.WebsocketConsumer": ("receive",),
    "channels.generic.websocket.AsyncWebsocketConsumer": ("receive",),
    "channels.generic.websocket.JsonWebsocketConsumer": ("receive_json",),
    "channels.generic.websocket.AsyncJsonWebsocketConsumer": ("receive_json",),
    # LLM-agent tools: the model chooses the arguments
    **{b: ("_run", "_arun", "run", "arun") for b in (
        "langchain.tools.BaseTool", "langchain_core.tools.BaseTool", "langchain.tools.base.BaseTool",
        "crewai.tools.BaseTool", "crewai_tools.BaseTool")},
    "smolagents.Tool": ("forward",),
}

# --- web request objects passed to view functions --------------------------------------------
# Shape heuristics, not API knowledge (so not model rows): they name no library. The attributes
# and methods below become ``holds`` / ``source`` rows of REQUEST_TYPE (knowledge/models.py).
# A parameter with one of these names (and no annotation that says otherwise) is taken to be an
# incoming HTTP request (Django, aiohttp.web, Starlette ...); the attributes and methods below of
# it are request data.
REQUEST_PARAM_NAMES = {"request", "req"}
REQUEST_TYPE = "web.Request"
REQUEST_ATTRS = {
    "GET", "POST", "FILES", "COOKIES", "META", "body", "data", "args", "form", "json", "values",
    "files", "query_params", "cookies", "headers", "query", "match_info", "path_params", "content",
    "stream", "raw_post_data", "query_string", "post",
    # Falcon, Pyramid, Azure Functions, Sanic
    "media", "params", "bounded_stream", "matchdict", "json_body", "route_params", "raw_args", "query_args",
}
REQUEST_METHODS = {"get_json", "get_data", "text", "json", "read", "post", "body", "form", "stream",
                   "get_body", "get_param", "get_param_as_list", "get_media", "get_header"}

# Decorators that make a function an HTTP route: its parameters are request data. A shape
# heuristic (a method of any object with these names, called with a URL path), kept as a table:
# decorators of a known API are ``entry`` rows instead (knowledge/models.py).
# ``@app.route("/x")``, ``@router.post("/x")``, ``@bp.get(...)``. The decorator must be called with a
# path string (starting with "/") as first argument or a ``path=``/``rule=`` keyword.
ROUTE_DECORATOR_METHODS = {"route", "get", "post", "put", "patch", "delete", "api_route", "websocket", "view"}
