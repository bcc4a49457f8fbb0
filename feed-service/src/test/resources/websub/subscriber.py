#!/usr/bin/env python3
"""An independent WebSub subscriber for Bulletin's hub tests (Python standard library only).

It shares no code with the hub: it answers verification GETs itself (echoing hub.challenge, or
refusing), checks X-Hub-Signature itself (HMAC-SHA256 of the body, hex), and records everything.

  python3 subscriber.py            prints "PORT <n>" once listening on 127.0.0.1:<n>

Callbacks: /cb/<name>[?anything]. A name starting "refuse" answers verification 404; one
starting "wrong" answers 200 with a body that is not the challenge; "gone" answers POSTs 410.
Control (for the test): PUT /_secret/<name> sets the secret <name>'s deliveries are checked
with; GET /_log returns every request seen, as JSON.
"""
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOCK = threading.Lock()
LOG = []
SECRETS = {}


def record(entry):
    with LOCK:
        LOG.append(entry)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def name(self):
        path = urlsplit(self.path).path
        return path[len("/cb/"):] if path.startswith("/cb/") else None

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_log":
            with LOCK:
                body = json.dumps(LOG).encode()
            return self.reply(200, body, "application/json")
        name = self.name()
        if name is None:
            return self.reply(404)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        record({"method": "GET", "name": name, "query": query})
        mode = query.get("hub.mode")
        if mode == "denied":
            return self.reply(200)
        challenge = query.get("hub.challenge")
        if mode not in ("subscribe", "unsubscribe") or not challenge or not query.get("hub.topic"):
            return self.reply(400)
        if mode == "subscribe" and not query.get("hub.lease_seconds", "").isdigit():
            return self.reply(400)
        if name.startswith("refuse"):
            return self.reply(404)
        if name.startswith("wrong"):
            return self.reply(200, b"not-" + challenge.encode())
        return self.reply(200, challenge.encode())

    def do_PUT(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if url.path.startswith("/_secret/"):
            with LOCK:
                SECRETS[url.path[len("/_secret/"):]] = body
            return self.reply(204)
        return self.reply(404)

    def do_POST(self):
        name = self.name()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if name is None:
            return self.reply(404)
        signature = self.headers.get("X-Hub-Signature")
        with LOCK:
            secret = SECRETS.get(name)
        valid = None
        if signature is not None and secret is not None and signature.startswith("sha256="):
            expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
            valid = hmac.compare_digest(expected, signature[len("sha256="):])
        elif signature is not None:
            valid = False
        record({"method": "POST", "name": name, "contentType": self.headers.get("Content-Type"),
                "links": self.headers.get_all("Link") or [], "signature": signature,
                "signatureValid": valid, "body": body.decode("utf-8", "replace")})
        return self.reply(410 if name.startswith("gone") else 204)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    # Ends when the test closes our standard input, so no subscriber outlives its test.
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
