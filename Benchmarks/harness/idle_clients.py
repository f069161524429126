"""Opens COUNT verified MTLS connections to 127.0.0.1:PORT, sends one keep-alive request on each,
reads the response, then leaves them idle until stdin is closed.

Prints `READY <opened> <failed>` once every connection is idle, so the harness can read the
proxy's RSS at that moment. A separate process, so its sockets and memory are not the harness's.
"""

import argparse
import concurrent.futures
import socket
import ssl
import sys


def open_one(context, port):
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn = context.wrap_socket(raw, server_hostname="127.0.0.1")
    conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise ConnectionError(head.split(b"\r\n")[0].decode(errors="replace"))
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the response body")
        body += chunk
    return conn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ca", required=True)
    args = parser.parse_args()

    # An IP address: no SNI, like ab, so Host (127.0.0.1) and SNI never disagree (421).
    context = ssl.create_default_context(cafile=args.ca)
    context.load_cert_chain(args.cert, args.key)
    # A few handshakes in flight at once; the server side does most of the RSA work anyway.
    connections, failed = [], 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(open_one, context, args.port) for _ in range(args.count)]
        for future in futures:
            try:
                connections.append(future.result())
            except (OSError, ConnectionError) as error:
                failed += 1
                if failed == 1:
                    print(f"idle_clients: {error}", file=sys.stderr)
    print(f"READY {len(connections)} {failed}", flush=True)
    sys.stdin.read()  # until the harness closes our stdin
    for conn in connections:
        conn.close()


if __name__ == "__main__":
    main()
