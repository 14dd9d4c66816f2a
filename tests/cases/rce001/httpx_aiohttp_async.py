import asyncio

import aiohttp
import httpx


async def with_aiohttp(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as r:
            code = await r.text()
    exec(code)  # expect: RCE001


async def with_httpx_async(url):
    async with httpx.AsyncClient() as client:
        resp = await client.get(url)
    exec(resp.text)  # expect: RCE001


def with_httpx(url):
    with httpx.Client() as client:
        exec(client.get(url).content)  # expect: RCE001
    eval(httpx.get(url).text)  # expect: RCE001


async def with_streams(host):
    reader, writer = await asyncio.open_connection(host, 9000)
    data = await reader.read(65536)
    writer.close()
    exec(data)  # expect: RCE001
