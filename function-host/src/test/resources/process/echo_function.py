#!/usr/bin/env python3
"""A CloudEvents function for the process-function tests, standard library only.

Listens on 127.0.0.1:$PORT and answers every event in binary mode with the same event. An event of type
test.exit makes the process exit with code 1 without answering; test.hang never answers; test.env is
answered with the process's environment as a JSON object. With IGNORE_SIGTERM set the process ignores
SIGTERM, so only SIGKILL ends it. With LONG_LINE_BYTES set it first prints a line of that many bytes,
then the line "after the long line".
"""
import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        kind = self.headers.get("ce-type", "")
        if kind == "test.exit":
            print("exiting on request", flush=True)
            os._exit(1)
        if kind == "test.hang":
            time.sleep(3600)
        content_type = self.headers.get("content-type")
        if kind == "test.env":
            body = json.dumps(dict(os.environ)).encode()
            content_type = "application/json"
        self.send_response(200)
        for name, value in self.headers.items():
            if name.lower().startswith("ce-"):
                self.send_header(name, value)
        if content_type is not None:
            self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("request " + (format % args) + "\n")
        sys.stderr.flush()


if os.environ.get("IGNORE_SIGTERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if os.environ.get("LONG_LINE_BYTES"):
    sys.stdout.write("x" * int(os.environ["LONG_LINE_BYTES"]) + "\nafter the long line\n")
    sys.stdout.flush()
port = int(os.environ["PORT"])
server = ThreadingHTTPServer(("127.0.0.1", port), Echo)
print(f"echo function listening port={port} pid={os.getpid()} function={os.environ.get('FNMESH_FUNCTION')}"
      f" replica={os.environ.get('FNMESH_REPLICA')}", flush=True)
server.serve_forever()
