import io
import json

import numpy as np
import requests
import torch
import yaml


def safe(url):
    text = requests.get(url).text
    a = yaml.safe_load(text)
    b = yaml.load(text, Loader=yaml.SafeLoader)
    c = json.loads(text)
    d = torch.load(io.BytesIO(requests.get(url).content), weights_only=True)
    e = np.load(io.BytesIO(requests.get(url).content))
    return a, b, c, d, e
