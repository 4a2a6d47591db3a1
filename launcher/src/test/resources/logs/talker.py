#!/usr/bin/env python3
"""A CloudEvents function for the log tests, standard library only.

Listens on 127.0.0.1:$PORT. For every event it prints "heard <id>" on stdout and answers 204; an event of type
test.fail is answered 500 after printing "failing <id>" on stderr.
"""
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Talker(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", "0")))
        event_id = self.headers.get("ce-id", "")
        if self.headers.get("ce-type", "") == "test.fail":
            print(f"failing {event_id}", file=sys.stderr, flush=True)
            self.send_response(500)
        else:
            print(f"heard {event_id}", flush=True)
            self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Talker)
server.serve_forever()
