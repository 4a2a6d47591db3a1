#!/usr/bin/env python3
"""The greeter as a Python function: a CloudEvents HTTP server on $PORT, standard library only.

Answers every CloudEvent with "Hello Serverless World!", or "<name>, Hello Serverless World!" when the
event's JSON data has a "name" or its httpquery extension (the query of a wrapped HTTP request) has a name
parameter. Accepts binary mode (ce-* headers) and structured mode (application/cloudevents+json) and
always replies in binary mode. Stops cleanly on SIGTERM and SIGINT.
"""

import base64
import binascii
import json
import os
import signal
import sys
import threading
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote

GREETING = "Hello Serverless World!"
REPLY_TYPE = "dev.fnmesh.examples.greeting"
REQUIRED = ("specversion", "id", "source", "type")
# CloudEvents HTTP binding 3.1.3.2: header values are percent-encoded; keep every other printable character.
HEADER_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"%')


class Refused(Exception):
    """A request that is no CloudEvent this function reads: answered 4xx naming the field at fault."""

    def __init__(self, status, field, message):
        super().__init__(message)
        self.status, self.field, self.message = status, field, message


def read_event(headers, body):
    """Returns (attributes, data bytes, data content type) of a binary or structured mode request."""
    content_type = headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/cloudevents+json":
        attributes, data, data_type = read_structured(body)
    elif media_type.startswith("application/cloudevents"):
        raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "content-type",
                      f"only binary and structured mode are supported, got {content_type}")
    else:
        # Binary mode: ce-* headers are percent-encoded (HTTP binding 3.1.3.2).
        attributes = {name[3:].lower(): unquote(value) for name, value in headers.items()
                      if name.lower().startswith("ce-")}
        data, data_type = body, content_type
    for name in REQUIRED:
        if not str(attributes.get(name, "")).strip():
            raise Refused(HTTPStatus.BAD_REQUEST, name, f"required attribute '{name}' is missing")
    return attributes, data, data_type


def read_structured(body):
    try:
        event = json.loads(body.decode("utf-8"))
        if not isinstance(event, dict):
            raise ValueError("a structured event must be a JSON object")
        data_type = event.get("datacontenttype", "application/json")
        if "data_base64" in event:
            data = base64.b64decode(event["data_base64"], validate=True)
        elif isinstance(event.get("data"), str) and not is_json(data_type):
            data = event["data"].encode("utf-8")
        elif "data" in event:
            data = json.dumps(event["data"]).encode("utf-8")
        else:
            data = b""
    except (UnicodeDecodeError, ValueError, binascii.Error) as e:
        raise Refused(HTTPStatus.BAD_REQUEST, "body", f"no valid structured CloudEvent: {e}")
    attributes = {k: v for k, v in event.items() if k not in ("data", "data_base64")}
    return attributes, data, data_type


def is_json(content_type):
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def name_of(attributes, data, data_type):
    if data and is_json(data_type):
        try:
            name = json.loads(data.decode("utf-8")).get("name")
            if isinstance(name, str):
                return name
        except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
            pass  # data that is no JSON object carries no name; the query may still have one
    names = parse_qs(str(attributes.get("httpquery", ""))).get("name")
    return names[0] if names else None


def greeting(name):
    return f"{name}, {GREETING}" if name and name.strip() else GREETING


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the host reuses its connections
    timeout = 60  # an idle kept-alive connection frees its thread after a minute

    def do_POST(self):
        try:
            attributes, data, data_type = read_event(self.headers, self.read_body())
        except Refused as refused:
            body = json.dumps({"status": int(refused.status), "field": refused.field, "message": refused.message})
            self.answer(refused.status, {"content-type": "application/json"}, body.encode("utf-8"))
            return
        reply = {
            "ce-specversion": "1.0",
            "ce-id": str(uuid.uuid4()),
            "ce-source": "/functions/" + os.environ.get("FNMESH_FUNCTION", "hello"),
            "ce-type": REPLY_TYPE,
            "ce-subject": quote(str(attributes["id"]), safe=HEADER_SAFE),
            "content-type": "text/plain",
        }
        self.answer(HTTPStatus.OK, reply, greeting(name_of(attributes, data, data_type)).encode("utf-8"))

    do_GET = do_PUT = do_POST

    def read_body(self):
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def answer(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_request(self, code="-", size="-"):
        sys.stderr.write(f"hello method={self.command} path={self.path} status={getattr(code, 'value', code)}\n")

    def log_message(self, format, *args):
        sys.stderr.write("hello error=\"%s\"\n" % (format % args).replace('"', "'"))


def main():
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), port), Handler)
    server.daemon_threads = True

    def stop(signum, frame):
        # shutdown() waits for serve_forever to return, so it must run outside the thread serving.
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"hello listening port={port}", flush=True)
    server.serve_forever()
    server.server_close()
    print("hello stopped", flush=True)


if __name__ == "__main__":
    main()
