#!/usr/bin/env python3
"""An ebsockets client written from docs/PROTOCOL.md alone: plain sockets, struct, json.

Usage: wire_client.py HOST PORT
Relays a message through RelayServer, then sends each kind of bad frame on a
connection of its own and checks that the server answers with ebsockets.error
and the right code, then closes. Prints one line per check; exits 0 if all pass.
"""
import json, socket, struct, sys

def connect():
    return socket.create_connection((HOST, PORT), timeout=10)

def frame(payload: bytes) -> bytes:                  # 4-byte big-endian length, then payload
    return struct.pack(">I", len(payload)) + payload

def send(sock, type_, data):
    sock.sendall(frame(json.dumps({"type": type_, "data": data}).encode("utf-8")))

def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None                              # the server closed the connection
        buf += chunk
    return buf

def recv(sock):
    header = recv_exact(sock, 4)
    if header is None:
        return None
    return json.loads(recv_exact(sock, struct.unpack(">I", header)[0]).decode("utf-8"))

HOST, PORT = sys.argv[1], int(sys.argv[2])

alice, bob = connect(), connect()
send(alice, "message", {"content": "hello from python"})
for name, sock in (("alice", alice), ("bob", bob)):
    event = recv(sock)
    assert event == {"type": "message", "data": {"content": "hello from python"}}, event
    print(f"relay: {name} got {event['data']['content']!r}")

BAD_FRAMES = {
    "empty_frame": b"\0\0\0\0",
    "frame_too_long": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "invalid_utf8": frame(b'{"type":"\xc3("}'),
    "invalid_json": frame(b"{type: message}"),
    "not_an_object": frame(b"[1, 2]"),
    "missing_type": frame(b'{"data": {}}'),
    "invalid_type": frame(b'{"type": 7}'),
    "invalid_data": frame(b'{"type": "t", "data": [1]}'),
    "duplicate_key": frame(b'{"type": "t", "type": "u"}'),
    "trailing_data": frame(b'{"type": "t"} x'),
}
for code, raw in BAD_FRAMES.items():
    sock = connect()
    sock.sendall(raw)
    error = recv(sock)
    assert error["type"] == "ebsockets.error" and error["data"]["code"] == code, (code, error)
    assert recv(sock) is None, "expected the server to close after the error"
    print(f"{code}: {error['data']['message']}")
    sock.close()

send(alice, "ebsockets.close", {"reason": "client_closed", "message": "bye"})
alice.close(); bob.close()
print("all checks passed")
