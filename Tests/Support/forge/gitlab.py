"""GitLab merge requests: REST v4 under /api/v4, in the shapes of docs.gitlab.com/ee/api
(merge_requests.html, notes.html, commits.html for statuses, branches.html, users.html).
Projects are named by their URL-encoded path ("owner%2Frepo"); errors say "404 … Not Found"."""
import re
from urllib.parse import unquote

from .pulls import (add_comment, edit_comment, find_pr, first, linked_page, open_pr_unless_one_is, page, poll_mergeable,
                    pr_comments, pulls_of, remember_head)
from .repos import Refusals, delete_existing_branch, exists, merge
from .router import Request, Routes
from .state import STATE, ForgeAnswer, error, web_url
from .statuses import add_status, combined_state, latest_statuses, newest_first

ROUTES = Routes()
STATES = {"pending": "pending", "running": "pending", "success": "success", "failed": "failure", "canceled": "failure"}
MERGE_REFUSALS = Refusals(stale=lambda head: error(409, "SHA does not match HEAD of source branch: " + head),
                          conflict=lambda: error(406, "Branch cannot be merged"),
                          failing=lambda: error(405, "405 Method Not Allowed"))


def route(method, path, query, body):
    if path == "/users" and method == "GET":
        name = first(query, "username", "")
        return 200, [{"id": 7, "username": name, "name": name, "state": "active"}] if name else []
    m = re.fullmatch(r"/projects/([^/]+)(/.*)?", path)
    if not m:
        raise error(404, "404 Not Found")
    project, rest = unquote(m.group(1)), m.group(2) or ""
    if not exists(project):
        raise error(404, "404 Project Not Found")
    if STATE["archived"] and method != "GET":
        raise error(403, "403 Forbidden")  # gitlab.com's words for any write to an archived project, owner or not
    return ROUTES.answer(method, rest, Request(project, path, query, body), error(404, "404 Not Found"))


def mr_json(pr, with_mergeable=True):
    head_sha = remember_head(pr)
    detailed = "checking"
    if pr["state"] == "open" and with_mergeable:
        clean = poll_mergeable(pr)
        if clean is not None:
            detailed = "mergeable" if clean else "conflict"
    elif pr["state"] != "open":
        detailed = "not_open"
    state = "merged" if pr["merged"] else ("opened" if pr["state"] == "open" else "closed")
    squashed = pr.get("method") == "squash"
    answer = {
        "id": pr["number"] * 100, "iid": pr["number"], "project_id": 1, "title": pr["title"],
        "description": pr["body"], "state": state, "source_branch": pr["head"], "target_branch": pr["base"],
        "sha": head_sha, "merge_commit_sha": None if squashed else pr.get("merge_sha"),
        "squash_commit_sha": pr.get("merge_sha") if squashed else None,
        "merge_status": {"mergeable": "can_be_merged", "conflict": "cannot_be_merged"}.get(detailed, "checking"),
        "detailed_merge_status": detailed, "draft": pr["title"].startswith("Draft:"),
        "web_url": web_url(f"/{pr['project']}/-/merge_requests/{pr['number']}"),
        "labels": pr["labels"], "reviewers": [{"id": 7, "username": r} for r in pr["reviewers"]],
        "author": {"id": 1, "username": "capstan"}, "merged_at": pr.get("merged_at"),
        "merge_when_pipeline_succeeds": bool(pr.get("auto_merge")),
    }
    if with_mergeable:  # a single MR carries its head pipeline; list items do not
        answer["head_pipeline"] = head_pipeline(pr, head_sha)
    return answer


def head_pipeline(pr, head_sha):
    """The MR's head pipeline (docs.gitlab.com/ee/api/merge_requests.html, Get single MR), from a
    {"head_pipeline": {"status": "failed", "stale": false}} fault; "stale" says it ran on an
    older head. None when no pipeline ran (GitLab answers null)."""
    fault = STATE.get("head_pipeline")
    if not fault or pr["state"] != "open":
        return None
    sha = "0" * 40 if fault.get("stale") else head_sha
    return {"id": 41, "iid": 12, "project_id": 1, "sha": sha, "ref": pr["head"], "status": fault["status"],
            "source": "merge_request_event", "web_url": web_url(f"/{pr['project']}/-/pipelines/41")}


def note_json(entry):
    return {"id": entry["id"], "body": entry["body"], "noteable_type": "MergeRequest", "noteable_iid": entry["number"],
            "system": False, "author": {"id": 1, "username": "capstan"}, "created_at": entry["created_at"],
            "updated_at": entry.get("updated_at", entry["created_at"])}


def status_json(entry, sha):
    raw = entry.get("raw") if entry["state"] != "success" else "success"
    return {"id": entry["id"], "sha": sha, "status": raw or entry["state"], "name": entry["context"],
            "description": entry["description"], "target_url": entry["target_url"], "created_at": entry["created_at"],
            "author": {"id": 1, "username": "capstan"}, "allow_failure": False}


@ROUTES.add("GET", r"")
def get_project(request):
    """projects.html#get-a-single-project, the fields Capstan reads and a few beside them."""
    return 200, {"id": 1, "name": request.project.split("/")[-1], "path_with_namespace": request.project,
                 "web_url": web_url(f"/{request.project}"), "default_branch": "main", "archived": STATE["archived"]}


@ROUTES.add("GET", r"/merge_requests")
def list_merge_requests(request):
    query, state = request.query, first(request.query, "state", "all")
    items = pulls_of(request.project)
    if state == "opened":
        items = [p for p in items if p["state"] == "open"]
    elif state == "merged":
        items = [p for p in items if p["merged"]]
    if query.get("source_branch"):
        items = [p for p in items if p["head"] == query["source_branch"][0]]
    if query.get("target_branch"):
        items = [p for p in items if p["base"] == query["target_branch"][0]]
    linked_page(request, items, "per_page", "20", lambda p: mr_json(p, with_mergeable=False))


def duplicate(existing):
    return ForgeAnswer(409, {"message": [f"Another open merge request already exists for this source branch: !{existing['number']}"]})


@ROUTES.add("POST", r"/merge_requests")
def open_merge_request(request):
    body = request.body
    pr = open_pr_unless_one_is(request.project, body.get("source_branch"), body.get("target_branch"), duplicate,
                               lambda: {"title": body.get("title"), "body": body.get("description"),
                                        "labels": [l for l in (body.get("labels") or "").split(",") if l]})
    pr["reviewers"] = [str(i) for i in body.get("reviewer_ids", [])]
    return 201, mr_json(pr)


@ROUTES.add("GET", r"/merge_requests/(\d+)")
def get_merge_request(request, number):
    return 200, mr_json(find_pr(request.project, number))


@ROUTES.add("PUT", r"/merge_requests/(\d+)")
def edit_merge_request(request, number):
    pr, body = find_pr(request.project, number), request.body
    if "title" in body:
        pr["title"] = body["title"]
    if "description" in body:
        pr["body"] = body["description"]
    for label in (body.get("add_labels") or "").split(","):
        if label and label not in pr["labels"]:
            pr["labels"].append(label)
    if body.get("state_event") == "close" and pr["state"] == "open":
        pr["state"] = "closed"
    return 200, mr_json(pr)


@ROUTES.add("PUT", r"/merge_requests/(\d+)/merge")
def accept_merge_request(request, number):
    pr = find_pr(request.project, number)
    if pr["state"] != "open":
        raise error(405, "405 Method Not Allowed")
    auto = request.body.get("merge_when_pipeline_succeeds") or request.body.get("auto_merge")
    if auto and combined_state(latest_statuses(request.project, remember_head(pr), count_read=False)) != "success":
        pr["auto_merge"] = True  # GitLab merges it when the pipeline succeeds; the test forge only records the wish
        return 200, mr_json(pr)
    if STATE.get("merge_error"):  # GitLab's MergeService failed: the API still answers 200, the MR opened
        answer = dict(mr_json(pr), merge_error=STATE["merge_error"])
        STATE["merge_error"] = None
        return 200, answer
    merge(pr, "squash" if request.body.get("squash") else "merge", request.body.get("sha"), MERGE_REFUSALS)
    return 200, mr_json(pr)


@ROUTES.add("POST", r"/merge_requests/(\d+)/notes")
def add_note(request, number):
    find_pr(request.project, number)
    return 201, note_json(add_comment(number, request.body.get("body", "")))


@ROUTES.add("GET", r"/merge_requests/(\d+)/notes")
def list_notes(request, number):
    find_pr(request.project, number)
    items = pr_comments(number)
    if first(request.query, "sort", "desc") == "desc":
        items = list(reversed(items))
    linked_page(request, items, "per_page", "20", note_json)


@ROUTES.add("PUT", r"/merge_requests/(\d+)/notes/(\d+)")
def edit_note(request, number, note_id):
    find_pr(request.project, number)
    if "body" not in request.body:
        raise error(400, "body is missing")
    return 200, note_json(edit_comment(note_id, request.body["body"]))


@ROUTES.add("POST", r"/statuses/([0-9a-f]{40})")
def set_status(request, sha):
    body = request.body
    if body.get("state") not in STATES:
        raise error(400, "state does not have a valid value")
    entry = add_status(request.project, sha, STATES[body["state"]], body.get("name") or body.get("context") or "default",
                       body.get("description", ""), body.get("target_url"), raw=body["state"])
    return 201, status_json(entry, sha)


@ROUTES.add("GET", r"/repository/commits/([0-9a-f]{40})/statuses")
def list_statuses(request, sha):
    linked_page(request, newest_first(latest_statuses(request.project, sha)), "per_page", "20", lambda s: status_json(s, sha))


@ROUTES.add("DELETE", r"/repository/branches/(.+)")
def delete_branch(request, branch):
    delete_existing_branch(request.project, unquote(branch), error(404, "404 Branch Not Found"))
    return 204, None
