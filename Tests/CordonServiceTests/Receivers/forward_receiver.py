#!/usr/bin/env python3
"""A platform that receives Cordon's forwarded messages (docs/forwarding.md), for the tests.

Checks every message's HMAC-SHA256 signature with the shared secret (401 when it is wrong),
logs each accepted POST as one JSON line, and misbehaves on request: GET /mode?set=ok|500|close|slow
answers 500, drops the connection without answering, or answers after 3 s. Prints its port.

usage: forward_receiver.py SECRET_FILE LOG_FILE [PORT]
"""
import hashlib, hmac, json, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

secret = open(sys.argv[1], "rb").read().strip()
log = open(sys.argv[2], "a", buffering=1)
mode = {"now": "ok"}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body=b"{}"):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urlparse(self.path)
        if u.path == "/mode":
            mode["now"] = parse_qs(u.query).get("set", ["ok"])[0]
            return self.reply(200, json.dumps(mode).encode())
        self.reply(404)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        m = mode["now"]
        if m == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if m == "500":
            return self.reply(500, b'{"error":"down for maintenance"}')
        if m == "slow":
            time.sleep(3)
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers.get("X-Cordon-Signature", "")):
            return self.reply(401, b'{"error":"bad signature"}')
        msg = json.loads(body)
        if msg.get("msg_id") != self.headers.get("Idempotency-Key"):
            return self.reply(400, b'{"error":"Idempotency-Key is not the msg_id"}')
        with lock:
            log.write(json.dumps({"at": time.time(), "msg": msg}, ensure_ascii=False) + "\n")
        self.reply(200, b'{"code":200}')


port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
