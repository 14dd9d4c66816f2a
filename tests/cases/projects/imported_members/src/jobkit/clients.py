"""Shared clients, built once at import time."""
from openai import OpenAI

from .fetch import Fetcher

default_client = OpenAI()
default_fetcher: Fetcher = Fetcher("https://jobs.example.com")
