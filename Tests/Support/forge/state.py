"""What the test forge remembers between requests, and how it answers.

ARGS is the parsed command line (filled in by test_forge.py before the first request; the
forge modules read `ARGS.kind`, `ARGS.port` and `ARGS.root` from it). STATE holds the PRs,
comments and statuses of every repository plus the faults still to be played; every change is
written to state.json in the --faults directory so that tests can read what the forge did.
LOCK serialises the request handlers around STATE.
"""
import argparse
import json
import os
import threading
import time

ARGS = argparse.Namespace()
LOCK = threading.RLock()
STATE = {"pulls": {}, "statuses": {}, "comments": [], "next": {}, "faults": [],
         "mergeable_null": 0, "pending_to_success_after": None, "status_reads": {},
         "move_head_on_merge": False, "ci_reports_after": None, "blocked_polls": 0,
         "archived": False}


class ForgeAnswer(Exception):
    """Raised by a route to answer with this status, body and headers (an error, mostly)."""

    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def error(status, message):
    """The GitHub-style error body, which Gitea, GitLab and Azure DevOps answers share here."""
    return ForgeAnswer(status, {"message": message, "documentation_url": "https://docs.example/rest"})


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def web_url(path):
    """The forge's own address for PATH (a web page or an API link)."""
    return f"http://127.0.0.1:{ARGS.port}{path}"


def save_state():
    snapshot = {"pulls": {k: v for k, v in STATE["pulls"].items()}, "comments": STATE["comments"],
                "statuses": STATE["statuses"]}
    path = os.path.join(ARGS.faults, "state.json")
    with open(path + ".tmp", "w") as handle:
        json.dump(snapshot, handle, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)
