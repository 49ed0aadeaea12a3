#!/usr/bin/env python3
"""A webhook receiver on loopback for the notification tests.

    webhook.py DIR MODE

Binds 127.0.0.1 on a free port and writes the port, one line, to the FIFO
DIR/ready (the test blocks reading it: no sleeps). Every POST is recorded:
its body to DIR/N.json and its headers to DIR/N.headers, N counting from 1.
MODE says how it answers: "ok" (204), "500" (500 every time), or "slow"
(holds the request until the FIFO DIR/release is opened by a writer:
the client's timeout ends the wait, not this). Runs until killed."""
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

DIR, MODE = sys.argv[1], sys.argv[2]
count = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        count += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(os.path.join(DIR, "%d.headers" % count), "w") as f:
            f.write(str(self.headers))
        with open(os.path.join(DIR, "%d.json" % count), "wb") as f:
            f.write(body)
        if MODE == "slow":
            # The deliberate slowness under test: the client's timeout must
            # end the wait, not this.
            with open(os.path.join(DIR, "release")):
                pass
            return
        self.send_response(500 if MODE == "500" else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
server.timeout = 30
with open(os.path.join(DIR, "ready"), "w") as f:
    f.write("%d\n" % server.server_address[1])
server.serve_forever()
