#!/usr/bin/env python3
"""__NAME__: an fnmesh function in Python, standard library only.

fnmesh starts it with $PORT set and POSTs each event in binary mode (attributes as ce-* headers, the data
as the body); it answers with an event in binary mode, which fnmesh publishes to the trigger's reply topic.
Change handle() to make it yours; the mesh file that runs it is watched, this file is read at each start.
"""

import json
import os
import signal
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME = "__NAME__"


def handle(attributes, data):
    """Returns the reply's data for one event: here, what came in and its type."""
    return {"function": NAME, "type": attributes.get("type"), "received": data}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        attributes = {k[3:].lower(): v for k, v in self.headers.items() if k.lower().startswith("ce-")}
        try:
            is_json = "json" in self.headers.get("content-type", "")
            data = json.loads(body) if is_json and body else body.decode("utf-8")
        except (ValueError, UnicodeDecodeError) as e:
            self.answer(400, {"content-type": "application/json"},
                        json.dumps({"status": 400, "field": "data", "message": str(e)}).encode())
            return
        reply = json.dumps(handle(attributes, data)).encode()
        self.answer(200, {"ce-specversion": "1.0", "ce-id": str(uuid.uuid4()), "ce-source": "/functions/" + NAME,
                          "ce-type": NAME + ".reply", "content-type": "application/json"}, reply)

    def answer(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write(NAME + " " + (format % args) + "\n")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8080"))), Handler)
    server.daemon_threads = True
    stop = lambda signum, frame: threading.Thread(target=server.shutdown).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()


if __name__ == "__main__":
    main()
