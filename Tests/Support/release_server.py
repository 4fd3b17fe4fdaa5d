#!/usr/bin/env python3
"""A loopback stand-in for a GitHub release's download URLs: serves the files of one
directory at /<owner>/<repo>/releases/download/<tag>/<file> and 404 for anything else.
Prints the chosen port on its first line of stdout, then serves until killed.
Usage: release_server.py DIRECTORY"""
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

directory = sys.argv[1]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.split("?")[0].split("/")
        # ['', owner, repo, 'releases', 'download', tag, file]
        if len(parts) == 7 and parts[3:5] == ["releases", "download"]:
            path = os.path.join(directory, parts[5], parts[6])
            if os.path.isfile(path):
                with open(path, "rb") as handle:
                    body = handle.read()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
