#!/usr/bin/env python3
"""An image function: a CloudEvents HTTP server on $PORT in a container of its own, standard library only.

Answers every CloudEvent with its data upper-cased and tagged: {"text": "HELLO", "tag": "$TAG"}. The text
is the "text" field of JSON data, or the data itself. Accepts binary mode (ce-* headers) and structured mode
(application/cloudevents+json), replies in binary mode, and stops cleanly on SIGTERM: as the container's
first process it would otherwise ignore it.
"""

import json
import os
import signal
import sys
import threading
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

REQUIRED = ("specversion", "id", "source", "type")


def read_event(headers, body):
    """Returns (attributes, data bytes, data content type), or raises ValueError naming what is wrong."""
    content_type = headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() == "application/cloudevents+json":
        event = json.loads(body.decode("utf-8"))
        data = event.get("data", "")
        data_type = event.get("datacontenttype", "application/json")
        data = data.encode("utf-8") if isinstance(data, str) else json.dumps(data).encode("utf-8")
        attributes = {k: v for k, v in event.items() if k != "data"}
    else:
        attributes = {k[3:].lower(): unquote(v) for k, v in headers.items() if k.lower().startswith("ce-")}
        data, data_type = body, content_type
    for name in REQUIRED:
        if not str(attributes.get(name, "")).strip():
            raise ValueError(name)
    return attributes, data, data_type


def text_of(data, data_type):
    text = data.decode("utf-8", errors="replace")
    if "json" in (data_type or ""):
        try:
            value = json.loads(text)
            return value.get("text", text) if isinstance(value, dict) else str(value)
        except json.JSONDecodeError:
            pass  # not JSON after all: the data is the text
    return text


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the host reuses its connections

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            attributes, data, data_type = read_event(self.headers, body)
        except (ValueError, UnicodeDecodeError) as e:
            problem = {"status": 400, "field": str(e), "message": f"no valid CloudEvent: {e}"}
            self.answer(HTTPStatus.BAD_REQUEST, {"content-type": "application/json"}, json.dumps(problem))
            return
        reply = {"text": text_of(data, data_type).upper(), "tag": os.environ.get("TAG", "shouted")}
        self.answer(HTTPStatus.OK, {
            "ce-specversion": "1.0",
            "ce-id": str(uuid.uuid4()),
            "ce-source": "/functions/" + os.environ.get("FNMESH_FUNCTION", "shout"),
            "ce-type": "dev.fnmesh.examples.shouted",
            "ce-subject": attributes["id"],
            "content-type": "application/json",
        }, json.dumps(reply))

    def do_GET(self):
        # Any answer tells fnmesh the server is up; this one also tells a person what to do.
        self.answer(HTTPStatus.METHOD_NOT_ALLOWED, {"content-type": "text/plain"}, "POST a CloudEvent\n")

    def answer(self, status, headers, text):
        body = text.encode("utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_request(self, code="-", size="-"):
        sys.stderr.write(f"shout method={self.command} path={self.path} status={getattr(code, 'value', code)}\n")


def main():
    port = int(os.environ.get("PORT", "8000"))
    # All interfaces of the container: the engine publishes the port on the host's 127.0.0.1 only.
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda signum, frame: threading.Thread(target=server.shutdown).start())
    print(f"shout listening port={port}", flush=True)
    server.serve_forever()
    server.server_close()
    print("shout stopped", flush=True)


if __name__ == "__main__":
    main()
