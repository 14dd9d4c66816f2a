"""Data passed as the payload of an unknown call still flows into its result."""
import pickle

import requests
from ourhub import fetch_artifact


def payload(url, token):
    blob = requests.get(url).content
    art = fetch_artifact(blob, token=token)
    pickle.loads(art)  # expect: RCE002


def body_keyword(url):
    blob = requests.get(url).content
    art = fetch_artifact("name", data=blob, timeout=10)
    pickle.loads(art)  # expect: RCE002
