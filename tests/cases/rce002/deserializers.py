import io
import marshal
import pickle
import socket
import urllib.request

import numpy as np
import requests
import torch
import yaml


def p1(url):
    return pickle.loads(requests.get(url).content)  # expect: RCE002


def p2(url):
    with urllib.request.urlopen(url) as r:
        return pickle.load(r)  # expect: RCE002


def p3(url):
    return pickle.Unpickler(io.BytesIO(requests.get(url).content)).load()  # expect: RCE002


def y1(url):
    return yaml.load(requests.get(url).text)  # expect: RCE002


def y2(url):
    return yaml.load(requests.get(url).text, Loader=yaml.Loader)  # expect: RCE002


def y3(url):
    return yaml.unsafe_load(requests.get(url).text)  # expect: RCE002


def m1(sock: socket.socket):
    code = marshal.loads(sock.recv(65536))  # expect: RCE002
    exec(code)  # expect: RCE001


def t1(url):
    return torch.load(io.BytesIO(requests.get(url).content))  # expect: RCE002


def n1(url):
    return np.load(io.BytesIO(requests.get(url).content), allow_pickle=True)  # expect: RCE002
