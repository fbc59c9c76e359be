#!/usr/bin/env python3
"""MLLP test sender for the listener's integration tests (not a test itself).

  mllp_send.py files  --port P [--rewrite-id PREFIX] [--conns N] FILE...
      sends each file as one message (over N connections, round-robin) and
      prints one JSON line per message: file, control_id, ack_code, msa2,
      has_err, ack (the ACK text, segments joined by '\\r').
  mllp_send.py raw    --port P FILE
      sends the file's bytes unframed as they are; prints the ACK (if any)
      and whether the listener closed the connection.
  mllp_send.py stream --port P --count N --conns C --acked OUT [--prefix X]
                      [--skip-acked FILE] [--event A01]
      generates N distinct ADT messages (deterministic: the same i gives the
      same message), sends those not listed in --skip-acked over C
      connections, one outstanding message per connection, and appends
      "control_id ack_code" to OUT (flushed) for every ACK received. A
      dropped connection ends that connection's share quietly; exit 0.
"""
import argparse
import json
import os
import socket
import sys
import threading

SB, EB, CR = b"\x0b", b"\x1c", b"\x0d"


def connect(host, port):
    s = socket.create_connection((host, port), timeout=60)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


class Conn:
    def __init__(self, host, port):
        self.sock = connect(host, port)
        self.buf = b""

    def send(self, msg):
        self.sock.sendall(SB + msg + EB + CR)

    def recv_frame(self):
        """The next ACK message, or None when the listener closed."""
        while True:
            i = self.buf.find(EB)
            if i >= 0:
                j = self.buf.find(SB)
                frame = self.buf[j + 1:i] if j >= 0 and j < i else self.buf[:i]
                self.buf = self.buf[i + 1:]
                if self.buf.startswith(CR):
                    self.buf = self.buf[1:]
                return frame
            try:
                data = self.sock.recv(65536)
            except (ConnectionResetError, socket.timeout):
                return None
            if not data:
                return None
            self.buf += data

    def close(self):
        self.sock.close()


def segments(msg):
    return [s for s in msg.replace(b"\r\n", b"\r").replace(b"\n", b"\r").split(b"\r") if s]


def ack_info(ack):
    segs = segments(ack)
    info = {"ack_code": None, "msa2": None, "has_err": False,
            "ack": "\r".join(s.decode("utf-8", "replace") for s in segs)}
    for s in segs:
        f = s.split(b"|")
        if f[0] == b"MSA":
            info["ack_code"] = f[1].decode() if len(f) > 1 else None
            info["msa2"] = f[2].decode("utf-8", "replace") if len(f) > 2 else None
        if f[0] == b"ERR":
            info["has_err"] = True
    return info


def control_id(msg):
    segs = segments(msg)
    if not segs or not segs[0].startswith(b"MSH"):
        return None
    f = segs[0].split(segs[0][3:4])
    return f[9].decode("utf-8", "replace") if len(f) > 9 else None


def rewrite_id(msg, new_id):
    """The message with MSH-10 replaced (line ends made CR)."""
    segs = segments(msg)
    if msg.startswith(b"\xef\xbb\xbf"):
        segs[0] = segs[0][3:]
    sep = segs[0][3:4]
    f = segs[0].split(sep)
    while len(f) < 10:
        f.append(b"")
    f[9] = new_id.encode()
    segs[0] = sep.join(f)
    return b"\r".join(segs) + b"\r"


def cmd_files(a):
    msgs = []
    for n, path in enumerate(a.files):
        with open(path, "rb") as fh:
            m = fh.read()
        if a.rewrite_id:
            m = rewrite_id(m, "%s%04d" % (a.rewrite_id, n))
        msgs.append((path, m))
    out = [None] * len(msgs)

    def worker(k):
        c = Conn(a.host, a.port)
        for n in range(k, len(msgs), a.conns):
            path, m = msgs[n]
            c.send(m)
            ack = c.recv_frame()
            r = {"file": os.path.basename(path), "control_id": control_id(m)}
            r.update(ack_info(ack) if ack is not None else {"ack_code": None, "closed": True})
            out[n] = r
        c.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(a.conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in out:
        print(json.dumps(r))


def cmd_raw(a):
    with open(a.file, "rb") as fh:
        data = fh.read()
    c = Conn(a.host, a.port)
    try:
        c.sock.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    ack = c.recv_frame()
    res = {"ack_code": None}
    if ack is not None:
        res = ack_info(ack)
    try:
        rest = c.sock.recv(65536)
        res["closed"] = rest == b""
    except (ConnectionResetError, socket.timeout):
        res["closed"] = True
    print(json.dumps(res))


EVENTS = ["A01", "A08", "A03"]


def gen_message(prefix, i, event=None):
    """A realistic ADT message, the same for the same (prefix, i)."""
    ev = event or "A01"
    cid = "%s%06d" % (prefix, i)
    day = 1 + i % 28
    sex = "FM"[i % 2]
    lines = [
        "MSH|^~\\&|MLLPGEN|GENHOSP|MRT|HIM|202601%02d0830||ADT^%s^ADT_%s|%s|P|2.5.1" % (day, ev, ev, cid),
        "EVN|%s|202601%02d0830" % (ev, day),
        "PID|1||%sM%06d^^^GENHOSP^MR||Tester%d^Pat^Q||19%02d%02d%02d|%s|||%d Main St^^Springfield^IL^62701||555-01%02d|||||%sA%06d"
        % (prefix, i, i, 40 + i % 50, 1 + i % 12, 1 + i % 28, sex, 1 + i % 900, i % 100, prefix, i),
        "PV1|1|I|4W^%d^A^GENHOSP||||1234^Attending^Amy^^^Dr|||MED||||1|||1234^Attending^Amy^^^Dr|IP|%sA%06d|||||||||||||||||||||||||202601%02d0800"
        % (400 + i % 40, prefix, i, day),
        "DG1|1|I10|I10^Essential (primary) hypertension^I10||202601%02d|A" % day,
        "DG1|2|I10|E11.9^Type 2 diabetes mellitus without complications^I10||202601%02d|F" % day,
    ]
    return cid, ("\r".join(lines) + "\r").encode()


def cmd_stream(a):
    skip = set()
    if a.skip_acked and os.path.exists(a.skip_acked):
        with open(a.skip_acked) as fh:
            skip = {line.split()[0] for line in fh if line.strip()}
    todo = []
    for i in range(a.count):
        cid, m = gen_message(a.prefix, i, a.event)
        if cid not in skip:
            todo.append((cid, m))
    lock = threading.Lock()
    out = open(a.acked, "a")

    def worker(k):
        try:
            c = Conn(a.host, a.port)
        except OSError:
            return
        try:
            for n in range(k, len(todo), a.conns):
                cid, m = todo[n]
                c.send(m)
                ack = c.recv_frame()
                if ack is None:
                    return
                info = ack_info(ack)
                with lock:
                    out.write("%s %s\n" % (info["msa2"], info["ack_code"]))
                    out.flush()
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            return
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(a.conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()
    print(json.dumps({"sent_from": len(todo), "skipped": len(skip)}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["files", "raw", "stream"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--rewrite-id")
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--prefix", default="G")
    p.add_argument("--acked")
    p.add_argument("--skip-acked")
    p.add_argument("--event")
    p.add_argument("--file")
    p.add_argument("files", nargs="*")
    a = p.parse_intermixed_args()
    {"files": cmd_files, "raw": cmd_raw, "stream": cmd_stream}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
