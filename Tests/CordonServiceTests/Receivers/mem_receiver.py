#!/usr/bin/env python3
"""A provincial platform taking the `mem` profile's uploads (docs/forwarding.md), for the tests.

Decrypts `data` with gmssl's SM4 (pure Python, independent of the OpenSSL Cordon uses), after
checking gmssl against the standard SM4 test vector of GB/T 32907-2016 (exit 3 if it fails).
Checks the app id and secret, that `msgId` and `dataType` match the decrypted envelope, and
logs each accepted upload as one JSON line: {"at", "clear": the fields sent in clear, "msg": the
decrypted envelope}. Answers HTTP 200 with {"code":200,"msg":"success"}; GET /mode?set=busy makes
it answer HTTP 200 with {"code":500,"msg":"系统繁忙"} (the platform refusing for now), set=ok back.
Prints its port.

usage: mem_receiver.py KEY_FILE IV_HEX APPID APPSECRET_FILE LOG_FILE [PORT]
"""
import json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

from gmssl.sm4 import CryptSM4, SM4_ENCRYPT, SM4_DECRYPT

# GB/T 32907-2016, appendix A, example 1: one block, key = plaintext.
vector_key = bytes.fromhex("0123456789abcdeffedcba9876543210")
check = CryptSM4()
check.set_key(vector_key, SM4_ENCRYPT)
if check.crypt_ecb(vector_key)[:16].hex() != "681edf34d206965e86b3e94f536e4246":
    sys.exit(3)

key = bytes.fromhex(open(sys.argv[1]).read().strip())
iv = bytes.fromhex(sys.argv[2])
appid = sys.argv[3]
appsecret = open(sys.argv[4]).read().strip()
log = open(sys.argv[5], "a", buffering=1)
mode = {"now": "ok"}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, answer):
        body = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urlparse(self.path)
        if u.path == "/mode":
            mode["now"] = parse_qs(u.query).get("set", ["ok"])[0]
            return self.reply(200, mode)
        self.reply(404, {"code": 404})

    def do_POST(self):
        upload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        if mode["now"] == "busy":
            return self.reply(200, {"code": 500, "msg": "系统繁忙"})
        if upload.get("appid") != appid or upload.get("appsecret") != appsecret:
            return self.reply(200, {"code": 401, "msg": "appid or appsecret is wrong"})
        sm4 = CryptSM4()
        sm4.set_key(key, SM4_DECRYPT)
        try:
            msg = json.loads(sm4.crypt_cbc(iv, bytes.fromhex(upload["data"])).decode("utf-8"))
        except Exception as e:
            return self.reply(200, {"code": 400, "msg": "data does not decrypt: %s" % e})
        if msg.get("msg_id") != upload.get("msgId") or msg.get("type") != upload.get("dataType"):
            return self.reply(200, {"code": 400, "msg": "msgId or dataType is not the envelope's"})
        clear = {k: upload.get(k) for k in ("enterpriseCode", "gatewayCode", "dataType", "msgId")}
        with lock:
            log.write(json.dumps({"at": time.time(), "clear": clear, "msg": msg}, ensure_ascii=False) + "\n")
        self.reply(200, {"code": 200, "msg": "success"})


port = int(sys.argv[6]) if len(sys.argv) > 6 else 0
server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
