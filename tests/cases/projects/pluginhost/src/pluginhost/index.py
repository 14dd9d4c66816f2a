"""The plugin index: a JSON document on the plugin server."""
import requests

INDEX_URL = "https://plugins.example.org/index.json"


def plugin_source(name, index_url=INDEX_URL):
    index = requests.get(index_url, timeout=30).json()
    entry = index["plugins"][name]
    return requests.get(entry["url"], timeout=30).text
