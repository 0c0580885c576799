"""A private package index and an HTTP CONNECT proxy on 127.0.0.1, for the network tests.

Serves a directory of wheels as a PEP 503 "simple" index over HTTPS (a certificate from a
private CA the test made with openssl), optionally behind HTTP basic auth, and runs a
CONNECT proxy that tunnels only to 127.0.0.1/localhost (anything else gets 403, so a tool
that tried to reach PyPI fails loudly) and logs every tunnel it opens. Standard library
only; prints one JSON line with the ports, then serves until killed.

    python3 private_index.py --wheels DIR --cert server.pem --key server.key \
        [--auth USER:PASSWORD] [--log FILE]
"""

import argparse
import base64
import html
import http.server
import json
import os
import re
import select
import socket
import socketserver
import ssl
import sys
import threading
import urllib.parse


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def project_of(filename):
    if filename.endswith(".whl"):
        return normalise(filename.split("-")[0])
    if filename.endswith(".tar.gz"):
        return normalise(filename[: -len(".tar.gz")].rsplit("-", 1)[0])
    return None


class Log:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, line):
        if not self.path:
            return
        with self.lock, open(self.path, "a", encoding="utf-8") as log:
            log.write(line + "\n")


def index_handler(wheels, auth, log):
    expected = None
    if auth:
        expected = "Basic " + base64.b64encode(auth.encode()).decode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            log.write("index " + (format % args))

        def send_body(self, status, body, content_type="text/html", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            if expected and self.headers.get("Authorization") != expected:
                log.write("index refused %s (no or wrong credentials)" % self.path)
                self.send_body(
                    401,
                    b"credentials required\n",
                    "text/plain",
                    [("WWW-Authenticate", 'Basic realm="private index"')],
                )
                return
            path = urllib.parse.urlsplit(self.path).path
            # Which tool asked: pip, uv and Poetry each name themselves first.
            agent = (self.headers.get("User-Agent") or "-").split()[0].split("/")[0]
            log.write("index %s %s by %s" % (self.command, path, agent))
            files = sorted(os.listdir(wheels))
            if path in ("/simple", "/simple/"):
                projects = sorted({project_of(f) for f in files} - {None})
                links = "".join(
                    '<a href="/simple/%s/">%s</a>\n' % (p, p) for p in projects
                )
                self.send_body(200, ("<html><body>\n%s</body></html>\n" % links).encode())
            elif path.startswith("/simple/"):
                project = normalise(path[len("/simple/"):].strip("/"))
                mine = [f for f in files if project_of(f) == project]
                if not mine:
                    self.send_body(404, b"not found\n", "text/plain")
                    return
                links = "".join(
                    '<a href="/files/%s">%s</a>\n'
                    % (urllib.parse.quote(f), html.escape(f))
                    for f in mine
                )
                self.send_body(200, ("<html><body>\n%s</body></html>\n" % links).encode())
            elif path.startswith("/files/"):
                name = os.path.basename(urllib.parse.unquote(path[len("/files/"):]))
                full = os.path.join(wheels, name)
                if not os.path.isfile(full):
                    self.send_body(404, b"not found\n", "text/plain")
                    return
                with open(full, "rb") as handle:
                    self.send_body(200, handle.read(), "application/octet-stream")
            else:
                self.send_body(404, b"not found\n", "text/plain")

    return Handler


class ThreadingHTTPSServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, context):
        super().__init__(address, handler)
        self.context = context

    def get_request(self):
        connection, address = self.socket.accept()
        return self.context.wrap_socket(connection, server_side=True), address

    def handle_error(self, request, client_address):
        # A client that rejects the certificate (the test without the CA) closes the
        # handshake: expected, not worth a traceback.
        pass


def proxy_handler(log):
    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            request = self.rfile.readline(65537).decode("latin-1").strip()
            while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                pass
            parts = request.split()
            if len(parts) != 3 or parts[0] != "CONNECT":
                log.write("proxy refused %r" % request)
                self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                return
            host, _, port = parts[1].rpartition(":")
            host = host.strip("[]")
            if host not in ("127.0.0.1", "localhost", "::1"):
                log.write("proxy refused CONNECT %s" % parts[1])
                self.wfile.write(b"HTTP/1.1 403 Forbidden\r\n\r\n")
                return
            try:
                upstream = socket.create_connection((host, int(port)), timeout=30)
            except OSError as error:
                log.write("proxy failed CONNECT %s: %s" % (parts[1], error))
                self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
                return
            log.write("proxy CONNECT %s" % parts[1])
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.wfile.flush()
            sockets = [self.connection, upstream]
            try:
                while True:
                    readable, _, _ = select.select(sockets, [], [], 60)
                    if not readable:
                        break
                    for source in readable:
                        data = source.recv(65536)
                        if not data:
                            return
                        (upstream if source is self.connection else self.connection).sendall(data)
            except OSError:
                pass
            finally:
                upstream.close()

    return Handler


class ThreadingTCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheels", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--log")
    args = parser.parse_args()
    log = Log(args.log)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    index = ThreadingHTTPSServer(
        ("127.0.0.1", 0), index_handler(args.wheels, args.auth, log), context
    )
    proxy = ThreadingTCPServer(("127.0.0.1", 0), proxy_handler(log))
    for server in (index, proxy):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write(
        json.dumps({"index": index.server_address[1], "proxy": proxy.server_address[1]})
        + "\n"
    )
    sys.stdout.flush()
    threading.Event().wait()


if __name__ == "__main__":
    main()
