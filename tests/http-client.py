#!/usr/bin/env python3
"""Raw HTTP/1.1 exchanges with fouilled for the tests: send exactly the
bytes given, read what comes back, with timeouts. Usage:

  http-client.py PORT raw 'GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' [--wait S]
  http-client.py PORT get '/search?q=foncier' [Header: value ...]
  http-client.py PORT slow   (open, send half a request, wait)
  http-client.py PORT conns N (open N idle connections, report statuses)

Prints the status line(s) and the body of the last response as JSON when it
is JSON."""
import json
import socket
import sys
import time


def recv_all(s, wait):
    s.settimeout(wait)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    return data


def parse_responses(data):
    out = []
    while data.startswith(b"HTTP/1.1 "):
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        body, data = rest[:n], rest[n:]
        out.append((int(lines[0].split()[1]), headers, body))
    return out


def main():
    port = int(sys.argv[1])
    mode = sys.argv[2]
    s = socket.create_connection(("127.0.0.1", port))
    if mode == "raw":
        wait = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
        s.sendall(sys.argv[3].encode("latin-1").decode("unicode_escape").encode("latin-1"))
        rs = parse_responses(recv_all(s, wait))
    elif mode == "bytes":  # request read from stdin, as is
        s.sendall(sys.stdin.buffer.read())
        rs = parse_responses(recv_all(s, float(sys.argv[3]) if len(sys.argv) > 3 else 1.0))
    elif mode == "get":
        hdrs = "".join(h + "\r\n" for h in sys.argv[4:])
        s.sendall(("GET %s HTTP/1.1\r\nHost: t\r\n%sConnection: close\r\n\r\n"
                   % (sys.argv[3], hdrs)).encode("utf-8"))
        rs = parse_responses(recv_all(s, 5))
    elif mode == "head":
        s.sendall(("HEAD %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                   % sys.argv[3]).encode())
        data = recv_all(s, 2)
        head = data.split(b"\r\n\r\n")[0].decode()
        print(head.split("\r\n")[0])
        print("body-bytes", len(data) - len(head) - 4)
        return
    elif mode == "slow":
        s.sendall(b"GET /search?q=foncier HTTP/1.1\r\nHost: t\r\n")
        t0 = time.time()
        rs = parse_responses(recv_all(s, float(sys.argv[3])))
        print("after %.1fs" % (time.time() - t0))
    else:
        raise SystemExit("unknown mode")
    for status, headers, body in rs:
        print(status)
    if rs:
        status, headers, body = rs[-1]
        for k in ("access-control-allow-origin", "content-type", "allow"):
            if k in headers:
                print("%s: %s" % (k, headers[k]))
        try:
            print(json.dumps(json.loads(body), sort_keys=True, ensure_ascii=False))
        except ValueError:
            print(body[:4000].decode("utf-8", "replace"))


main()
