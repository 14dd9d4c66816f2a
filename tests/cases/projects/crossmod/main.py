import netutil
from pkg import util


def main(url):
    exec(netutil.grab(url))  # expect: RCE001
    util.shout(netutil.grab(url))
