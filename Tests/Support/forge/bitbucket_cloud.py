"""Bitbucket Cloud pull requests: REST 2.0 under /2.0, in the shapes of the official
description in Tests/Fixtures/forges/specs/bitbucket-cloud.json (pullrequest, pullrequest_comment, commitstatus,
paginated "values" lists, {"type": "error", "error": {...}} errors, hashes shown to 12 digits)."""
import re

from .pulls import (add_comment, atlassian_state, close_pr, edit_comment, find_pr, first, next_page_url, open_pr_unless_one_is, page,
                    pr_comments, pulls_of, remember_head)
from .repos import Refusals, branch_sha, commit_sha, exists, merge
from .router import Request, Routes
from .state import STATE, ForgeAnswer, error, now, web_url
from .statuses import add_status, latest_statuses, newest_first

ROUTES = Routes()
STATES = {"INPROGRESS": "pending", "SUCCESSFUL": "success", "FAILED": "failure", "STOPPED": "failure"}
STRATEGIES = {"merge_commit": "merge", "squash": "squash", "fast_forward": "rebase", "rebase_fast_forward": "rebase"}


def failure(status, message):
    return ForgeAnswer(status, {"type": "error", "error": {"message": message}})


MERGE_REFUSALS = Refusals(stale=lambda head: error(409, "the source branch moved"),
                          conflict=lambda: failure(400, "You can't merge until you resolve all merge conflicts."))


def route(method, path, query, body):
    m = re.fullmatch(r"/repositories/([^/]+/[^/]+)(/.*)?", path)
    if not m or not exists(m.group(1)):
        raise failure(404, "Repository not found")
    project, rest = m.group(1), m.group(2) or ""
    return ROUTES.answer(method, rest, Request(project, path, query, body), failure(404, "Resource not found"))


def pr_json(pr):
    """Bitbucket Cloud's pullrequest object (hashes abbreviated to 12 digits, as the real one does)."""
    head_sha = remember_head(pr)
    base_sha = branch_sha(pr["project"], pr["base"]) or ""
    web = web_url(f"/{pr['project']}/pull-requests/{pr['number']}")
    account = {"type": "user", "display_name": "Capstan", "uuid": "{00000000-0000-0000-0000-000000000001}"}
    return {
        "type": "pullrequest", "id": pr["number"], "title": pr["title"],
        "summary": {"raw": pr["body"], "markup": "markdown", "html": ""},
        "state": atlassian_state(pr), "author": account, "draft": pr["draft"], "close_source_branch": False,
        "source": {"branch": {"name": pr["head"]}, "commit": {"hash": head_sha[:12]}},
        "destination": {"branch": {"name": pr["base"]}, "commit": {"hash": base_sha[:12]}},
        "merge_commit": {"hash": pr["merge_sha"][:12]} if pr.get("merge_sha") else None,
        "links": {"html": {"href": web}, "self": {"href": web}},
        "comment_count": 0, "task_count": 0, "reason": "", "created_on": now(), "updated_on": now(),
        "reviewers": [], "participants": [],
    }


def comment_json(project, entry):
    web = web_url(f"/{project}/pull-requests/{entry['number']}#comment-{entry['id']}")
    return {"type": "pullrequest_comment", "id": entry["id"], "content": {"raw": entry["body"], "markup": "markdown", "html": ""},
            "created_on": entry["created_at"], "updated_on": entry.get("updated_at", entry["created_at"]), "deleted": False,
            "links": {"html": {"href": web}}}


def status_json(entry, sha):
    raw = entry.get("raw") if entry["state"] != "success" else "SUCCESSFUL"
    return {"type": "build", "key": entry["context"], "name": entry.get("name", entry["context"]), "state": raw,
            "description": entry["description"], "url": entry["target_url"] or "", "created_on": entry["created_at"],
            "updated_on": entry["updated_at"],
            "links": {"commit": {"href": web_url(f"/2.0/repositories/commit/{sha}")}}}


def branch_name(ref):
    """The branch of a {"branch": {"name": …}} source or destination."""
    return ref.get("branch", {}).get("name")


@ROUTES.add("GET", r"/pullrequests")
def list_pulls(request):
    states = request.query.get("state") or ["OPEN"]
    items = pulls_of(request.project, lambda p: atlassian_state(p) in states)
    return 200, values_page(request, items, pr_json)


@ROUTES.add("POST", r"/pullrequests")
def open_pull(request):
    body = request.body
    head, base = branch_name(body.get("source", {})), branch_name(body.get("destination", {}))
    pr = open_pr_unless_one_is(request.project, head, base,
                               lambda existing: failure(400, "There is already an open pull request from this branch."),
                               lambda: {"title": body.get("title"), "body": (body.get("summary") or {}).get("raw", ""),
                                        "draft": body.get("draft")})
    return 201, pr_json(pr)


@ROUTES.add("GET", r"/pullrequests/(\d+)")
def get_pull(request, number):
    return 200, pr_json(find_pr(request.project, number))


@ROUTES.add("PUT", r"/pullrequests/(\d+)")
def edit_pull(request, number):
    pr, body = find_pr(request.project, number), request.body
    if "title" in body:
        pr["title"] = body["title"]
    if "summary" in body:
        pr["body"] = (body["summary"] or {}).get("raw", "")
    return 200, pr_json(pr)


@ROUTES.add("POST", r"/pullrequests/(\d+)/merge")
def merge_pull(request, number):
    pr = find_pr(request.project, number)
    strategy = STRATEGIES.get(request.body.get("merge_strategy", "merge_commit"), "merge")
    if STATE.get("async_merge_polls") is not None:
        # "When merging a pull request takes too long": 202, the task to poll in Location.
        task_id = f"task-{number}-{len(STATE.setdefault('merge_tasks', {})) + 1}"
        STATE["merge_tasks"][task_id] = {"pr": pr, "strategy": strategy, "pending": STATE.pop("async_merge_polls"),
                                         "fail": STATE.pop("async_merge_fails", None)}
        raise ForgeAnswer(202, None, {"Location": task_url(request, number, task_id)})
    merge(pr, strategy, None, MERGE_REFUSALS)
    return 200, pr_json(pr)


def task_url(request, number, task_id):
    return web_url(f"/2.0/repositories/{request.project}/pullrequests/{number}/merge/task-status/{task_id}")


@ROUTES.add("GET", r"/pullrequests/(\d+)/merge/task-status/([\w-]+)")
def merge_task_status(request, number, task_id):
    """PENDING for the task's first polls; then the merge happens and SUCCESS carries the
    merged PR, or the task fails with Bitbucket's error object."""
    task = (STATE.get("merge_tasks") or {}).get(task_id) or {}
    if not task:
        raise failure(404, "Task not found")
    links = {"self": {"href": task_url(request, number, task_id)}}
    if task["pending"] > 0:
        task["pending"] -= 1
        return 200, {"task_status": "PENDING", "links": links}
    if task["fail"]:
        raise failure(409, task["fail"])
    if not task.get("done"):
        merge(task["pr"], task["strategy"], None, MERGE_REFUSALS)
        task["done"] = True
    return 200, {"task_status": "SUCCESS", "links": links, "merge_result": pr_json(task["pr"])}


@ROUTES.add("POST", r"/pullrequests/(\d+)/decline")
def decline_pull(request, number):
    return 200, pr_json(close_pr(request.project, number))


@ROUTES.add("POST", r"/pullrequests/(\d+)/comments")
def comment(request, number):
    find_pr(request.project, number)
    text = (request.body.get("content") or {}).get("raw", "")
    return 201, comment_json(request.project, add_comment(number, text))


@ROUTES.add("GET", r"/pullrequests/(\d+)/comments")
def list_comments(request, number):
    find_pr(request.project, number)
    query = request.query
    items, more = page(pr_comments(number), query, "pagelen", "10")
    answer = {"values": [comment_json(request.project, c) for c in items], "page": int(first(query, "page", "1")),
              "pagelen": len(items), "size": len(pr_comments(number))}
    if more:
        answer["next"] = web_url(f"/2.0{request.path}?page={answer['page'] + 1}")
    return 200, answer


@ROUTES.add("PUT", r"/pullrequests/(\d+)/comments/(\d+)")
def edit_pull_comment(request, number, comment_id):
    find_pr(request.project, number)
    if not (request.body.get("content") or {}).get("raw"):
        raise failure(400, "content.raw is required")
    return 200, comment_json(request.project, edit_comment(comment_id, request.body["content"]["raw"]))


@ROUTES.add("GET", r"/pullrequests/(\d+)/statuses")
def pull_statuses(request, number):
    pr = find_pr(request.project, number)
    sha = branch_sha(request.project, pr["head"]) or pr.get("last_head", "")
    # Bitbucket sorts build statuses by creation: the newest (the head's) come last.
    latest = sorted(latest_statuses(request.project, sha), key=lambda s: s["id"])
    return 200, values_page(request, latest, lambda s: status_json(s, sha))


def values_page(request, items, to_json):
    """Bitbucket Cloud's paginated list: "values" of one page (pagelen, default 10) and a
    "next" URL while more follow."""
    shown, more = page(items, request.query, "pagelen", "10")
    answer = {"values": [to_json(item) for item in shown], "page": int(first(request.query, "page", "1")),
              "pagelen": len(shown), "size": len(items)}
    if more:
        answer["next"] = next_page_url(request)
    return answer


@ROUTES.add("POST", r"/commit/([0-9a-f]{7,40})/statuses/build")
def set_build_status(request, name):
    body = request.body
    full = commit_sha(request.project, name)  # Bitbucket takes abbreviated hashes too.
    if not full:
        raise failure(404, f"Commit not found: {name}")
    if body.get("state") not in STATES or not body.get("key"):
        raise failure(400, "state and key are required")
    entry = add_status(request.project, full, STATES[body["state"]], body["key"], body.get("description", ""),
                       body.get("url"), raw=body["state"], name=body.get("name"))
    return 201, status_json(entry, full)


@ROUTES.add("GET", r"/commit/([0-9a-f]{7,40})/statuses")
def commit_statuses(request, name):
    """List commit statuses (developer.atlassian.com/cloud/bitbucket/rest/api-group-commit-statuses):
    one per key, a page of "values"."""
    full = commit_sha(request.project, name)
    if not full:
        raise failure(404, f"Commit not found: {name}")
    return 200, values_page(request, latest_statuses(request.project, full), lambda s: status_json(s, full))
