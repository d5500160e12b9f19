"""Load and abuse test of ``twochannel serve`` on the loopback interface (bounded, stops by
itself): CLIENTS concurrent keep-alive clients post the same ``simulate`` request for a fixed
number of requests each; then oversize, malformed and out-of-range requests must get 4xx and
the server must still answer.

    python benchmarks/api_load.py [--clients 200] [--requests 10] [--port 0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"  # loopback only
BODY = json.dumps({"scenario": "baseline", "set": {"rhoR": 0.03}, "years": 100}).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


async def _post(reader, writer, path: str, body: bytes) -> int:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    writer.write(head + body)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        k, _, v = line.decode().partition(":")
        if k.lower() == "content-length":
            length = int(v)
    await reader.readexactly(length)
    return status


async def _client(port: int, n: int, latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for _ in range(n):
            t = time.perf_counter()
            status = await _post(reader, writer, "/api/v1/simulate", BODY)
            latencies.append(time.perf_counter() - t)
            if status != 200:
                errors.append(str(status))
    finally:
        writer.close()


async def _load(port: int, clients: int, n: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    t0 = time.perf_counter()
    await asyncio.gather(*(_client(port, n, latencies, errors) for _ in range(clients)))
    wall = time.perf_counter() - t0
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "seconds": wall,
        "req_per_s": len(latencies) / wall,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


async def _abuse(port: int) -> dict[str, int]:
    cases = {
        "oversize (2 MB)": json.dumps({"pad": "x" * 2_000_000}).encode(),
        "malformed JSON": b"{not json",
        "out of range (rhoR = -1)": json.dumps({"set": {"rhoR": -1}}).encode(),
        "above the years cap": json.dumps({"years": 10_000}).encode(),
        "unknown parameter": json.dumps({"set": {"nope": 1}}).encode(),
    }
    out = {}
    for name, body in cases.items():
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            out[name] = await _post(reader, writer, "/api/v1/simulate", body)
        except (ConnectionError, asyncio.IncompleteReadError, IndexError):
            out[name] = -1
        writer.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--requests", type=int, default=10, help="requests per client")
    ap.add_argument("--port", type=int, default=0, help="0: a free port")
    args = ap.parse_args()
    port = args.port or _free_port()
    exe = Path(sys.executable).with_name("twochannel")
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", HOST, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/health", timeout=1)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    print("server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        # the first request computes and caches; the load then measures the cached answer
        t = time.perf_counter()
        req = urllib.request.Request(
            f"http://{HOST}:{port}/api/v1/simulate",
            data=BODY,
            headers={"content-type": "application/json"},
        )
        urllib.request.urlopen(req, timeout=300).read()
        first = time.perf_counter() - t
        res = asyncio.run(_load(port, args.clients, args.requests))
        abuse = asyncio.run(_abuse(port))
        alive = urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/health", timeout=5).status
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"first (uncached) simulate: {1000 * first:.0f} ms")
    print(
        f"{args.clients} concurrent clients x {args.requests} requests on /api/v1/simulate: "
        f"{res['requests']} requests, {res['errors']} errors, {res['req_per_s']:.0f} req/s, "
        f"p50 {res['p50_ms']:.1f} ms, p99 {res['p99_ms']:.1f} ms"
    )
    for name, status in abuse.items():
        print(f"  {name}: HTTP {status}")
    print(f"server still serving after: health HTTP {alive}")
    ok = res["errors"] == 0 and all(400 <= s < 500 for s in abuse.values()) and alive == 200
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
