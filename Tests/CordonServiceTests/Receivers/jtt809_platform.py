#!/usr/bin/env python3
"""An upper platform of JT/T 809-2019 (a transport authority's), for the tests: written from the
standard, independent of Cordon's codec.

Listens for lower platforms' main links; takes each frame between 0x5B and 0x5D, undoes the
escapes, checks the length and the CRC-16/CCITT (0xFFFF, 0x1021), decrypts the body with the
XOR stream of M1/IA1/IC1 when the header says so, and answers: 0x1001 login -> 0x1002 (result 0
when user, password and access code match, else 3 or 4), 0x1005 heartbeat -> 0x1006. Logs each
login, heartbeat, 0x1200/0x1202 location (its JT/T 808 0x0200 body decoded) and 0x1400/0x1402
alarm as one JSON line, and any frame it could not read as {"msg":"bad"}. A connection to the
control port drops every link (logged {"msg":"dropped"}). Prints "PORT CONTROL_PORT".

usage: jtt809_platform.py USER PASSWORD ACCESS_CODE M1 IA1 IC1 LOG_FILE
"""
import json, socket, struct, sys, threading, time

user, password, access = int(sys.argv[1]), sys.argv[2].encode(), int(sys.argv[3])
m1, ia1, ic1 = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
log = open(sys.argv[7], "a", buffering=1)
lock = threading.Lock()
links = []


def write(entry):
    with lock:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def xor(data, key):
    key = key or 1
    out = bytearray()
    for b in data:
        key = (ia1 * (key % (m1 or 1)) + ic1) & 0xFFFFFFFF
        out.append(b ^ ((key >> 20) & 0xFF))
    return bytes(out)


def unescape(data):
    out, i = bytearray(), 0
    pairs = {(0x5A, 1): 0x5B, (0x5A, 2): 0x5A, (0x5E, 1): 0x5D, (0x5E, 2): 0x5E}
    while i < len(data):
        if data[i] in (0x5A, 0x5E):
            out.append(pairs[(data[i], data[i + 1])])
            i += 2
        else:
            out.append(data[i])
            i += 1
    return bytes(out)


def escape(data):
    table = {0x5B: b"\x5a\x01", 0x5A: b"\x5a\x02", 0x5D: b"\x5e\x01", 0x5E: b"\x5e\x02"}
    return b"".join(table.get(b, bytes([b])) for b in data)


serial = [0]


def frame(msg_id, body):
    serial[0] += 1
    header = struct.pack(">IIHI3sBIQ", 1 + 30 + len(body) + 3, serial[0], msg_id, access, bytes([1, 2, 15]), 0, 0, int(time.time()))
    raw = header + body
    return b"\x5b" + escape(raw + struct.pack(">H", crc16(raw))) + b"\x5d"


def text(b):
    return b.rstrip(b"\x00").decode("gb18030")


def handle(raw, conn):
    length, sn, msg_id, center, ver, enc, key, t = struct.unpack(">IIHI3sBIQ", raw[:30])
    if length != len(raw) + 2 or crc16(raw[:-2]) != struct.unpack(">H", raw[-2:])[0]:
        return write({"msg": "bad", "why": "length or crc"})
    body = raw[30:-2]
    if enc == 1:
        body = xor(body, key)
    if msg_id == 0x1001:
        uid, pw, center_id = struct.unpack(">I8sI", body[:16])
        ok = uid == user and pw.rstrip(b"\x00") == password and center_id == access and center == access
        result = 0 if ok else (3 if uid != user else 4)
        write({"msg": "login", "user": uid, "result": result, "encrypted": enc == 1, "version": list(ver), "time": t})
        conn.sendall(frame(0x1002, struct.pack(">BI", result, 0x12345678)))
    elif msg_id == 0x1005:
        write({"msg": "heartbeat"})
        conn.sendall(frame(0x1006, b""))
    elif msg_id == 0x1200:
        plate, color, sub, n = text(body[:21]), body[21], struct.unpack(">H", body[22:24])[0], struct.unpack(">I", body[24:28])[0]
        data = body[28:28 + n]
        if sub != 0x1202:
            return write({"msg": "other", "sub": sub})
        gnss_len = struct.unpack(">I", data[1:5])[0]
        g = data[5:5 + gnss_len]
        alarm, status, lat, lon, alt, speed, direction = struct.unpack(">IIIIHHH", g[:22])
        bcd = g[22:28].hex()
        write({"msg": "location", "plate": plate, "color": color, "encrypted": enc == 1,
               "lat": lat / 1e6 * (-1 if status & 4 else 1), "lon": lon / 1e6 * (-1 if status & 8 else 1),
               "speed_kmh": speed / 10, "direction": direction, "time_bcd": bcd, "located": bool(status & 2)})
    elif msg_id == 0x1400:
        sub, n = struct.unpack(">HI", body[:6])
        d = body[6:6 + n]
        source = d[:11]
        warn_type, warn_time, start, end = struct.unpack(">HQQQ", d[11:37])
        plate, color = text(d[37:58]), d[58]
        info_len = struct.unpack(">I", d[74:78])[0]
        write({"msg": "warning", "sub": sub, "warn_type": warn_type, "warn_time": warn_time, "start": start, "end": end,
               "plate": plate, "color": color, "source": text(source), "content": d[78:78 + info_len].decode("gb18030")})
    else:
        write({"msg": "other", "id": msg_id})


def serve_link(conn):
    buf = b""
    while True:
        try:
            chunk = conn.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        while b"\x5b" in buf and b"\x5d" in buf[buf.index(b"\x5b"):]:
            start = buf.index(b"\x5b")
            end = buf.index(b"\x5d", start)
            try:
                handle(unescape(buf[start + 1:end]), conn)
            except Exception as e:
                write({"msg": "bad", "why": str(e)})
            buf = buf[end + 1:]


def accept(server):
    while True:
        conn, _ = server.accept()
        with lock:
            links.append(conn)
        threading.Thread(target=serve_link, args=(conn,), daemon=True).start()


def control(server):
    while True:
        c, _ = server.accept()
        with lock:
            for l in links:
                try:
                    l.shutdown(socket.SHUT_RDWR)
                    l.close()
                except OSError:
                    pass
            links.clear()
            log.write(json.dumps({"msg": "dropped"}) + "\n")
        c.close()


main, ctl = socket.socket(), socket.socket()
for s in (main, ctl):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
threading.Thread(target=accept, args=(main,), daemon=True).start()
threading.Thread(target=control, args=(ctl,), daemon=True).start()
print(main.getsockname()[1], ctl.getsockname()[1], flush=True)
threading.Event().wait()
