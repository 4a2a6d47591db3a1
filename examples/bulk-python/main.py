#!/usr/bin/env python3
"""A batch function in Python: a CloudEvents HTTP server on $PORT, standard library only.

Its trigger delivers batches (delivery.batch), so each request is one POST of application/cloudevents-batch+json,
a JSON array of structured events (CloudEvents JSON format section 4). It "stores" the batch at once and answers
in AWS Lambda's form, {"batchItemFailures": [{"itemIdentifier": "<event id>"}]}, listing the events it could not
store: those whose JSON data has "store": false. fnmesh retries just those, and the rest are done. A request
that is no batch is answered 415. Stops cleanly on SIGTERM and SIGINT.
"""

import json
import os
import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BATCH = "application/cloudevents-batch+json"


def unstorable(event):
    data = event.get("data")
    return isinstance(data, dict) and data.get("store") is False


class Bulk(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        media_type = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != BATCH:
            self.answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"field": "content-type",
                                                             "message": f"expected {BATCH}, got {media_type}"})
            return
        try:
            events = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            self.answer(HTTPStatus.BAD_REQUEST, {"field": "body", "message": f"not JSON: {e}"})
            return
        failures = [{"itemIdentifier": event["id"]} for event in events if unstorable(event)]
        print(f"stored {len(events) - len(failures)} of a batch of {len(events)}", flush=True)
        self.answer(HTTPStatus.OK, {"batchItemFailures": failures})

    def answer(self, status, document):
        payload = json.dumps(document).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8080"))), Bulk)
    stop = lambda signum, frame: threading.Thread(target=server.shutdown).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"bulk-python listening on port {server.server_address[1]}", flush=True)
    server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
