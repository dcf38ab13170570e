"""boto3 against an endpoint while other clients hold idle and half-sent connections.

Arguments: the endpoint and how many connections to hold. Prints one JSON line: boto3's
AdminGetUser latency (median and 95th percentile, ms) with nothing else connected, then
with the connections held (a thread keeps that many open, reopening any the server
closes, each having sent half a request head), and how many calls failed.
"""

import json
import socket
import statistics
import sys
import threading
import time

import boto3
from botocore.config import Config

endpoint, holding = sys.argv[1], int(sys.argv[2])
host, port = endpoint.removeprefix("http://").rsplit(":", 1)
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test",
                   config=Config(retries={"max_attempts": 1}, read_timeout=30, connect_timeout=30))
pool = idp.create_user_pool(PoolName="soak")["UserPool"]["Id"]
for i in range(20):
    idp.admin_create_user(UserPoolId=pool, Username=f"user{i}", MessageAction="SUPPRESS")


def measure(n=200):
    times, failed = [], 0
    for i in range(n):
        start = time.perf_counter()
        try:
            idp.admin_get_user(UserPoolId=pool, Username=f"user{i % 20}")
        except Exception:
            failed += 1
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)], failed


unloaded = measure()
stop = threading.Event()
held = []
reopened = [0]


def hold():
    while not stop.is_set():
        alive = []
        for s in held:
            try:
                s.setblocking(False)
                if s.recv(1) == b"":
                    s.close()
                    continue
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                continue
            alive.append(s)
        held[:] = alive
        while len(held) < holding and not stop.is_set():
            try:
                s = socket.create_connection((host, int(port)), timeout=5)
                s.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                held.append(s)
                reopened[0] += 1
            except OSError:
                time.sleep(0.01)
                break
        time.sleep(0.2)


thread = threading.Thread(target=hold, daemon=True)
thread.start()
deadline = time.time() + 60
while len(held) < holding and time.time() < deadline:
    time.sleep(0.1)
loaded = measure()
stop.set()
thread.join()
print(json.dumps({
    "unloaded_ms": unloaded[:2], "loaded_ms": loaded[:2],
    "failed": unloaded[2] + loaded[2], "held": holding, "opened": reopened[0],
}))
