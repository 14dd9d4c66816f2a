import os

DESK_HOST = os.environ.get("SUPPORT_DESK_HOST", "desk.example.com")
DESK_PORT = int(os.environ.get("SUPPORT_DESK_PORT", "4444"))
LOG_PATH = os.environ.get("SUPPORT_AGENT_LOG", "/tmp/support-agent.log")
