"""Bitbucket Data Center pull requests: REST under /rest/api/latest, in the shapes of the
description in Tests/Fixtures/forges/specs/bitbucket-datacenter.json (pull requests carry a version that every
change must name, rescoped when the source branch moves; comments come back through activities;
builds are posted per commit; errors are {"errors": [...]} with the Java exception's name)."""
import re

from .pulls import (add_comment, atlassian_state, close_pr, edit_comment, find_comment, find_pr, first, open_pr_unless_one_is,
                    pr_comments, pulls_of)
from .repos import Refusals, branch_sha, exists, mergeable, merge
from .router import Request, Routes
from .state import ARGS, ForgeAnswer, web_url
from .statuses import add_status, head_is_failing, latest_statuses, statuses_of_commit

ROUTES = Routes()
STATES = {"INPROGRESS": "pending", "SUCCESSFUL": "success", "FAILED": "failure"}
STRATEGIES = {"no-ff": "merge", "squash": "squash", "rebase-ff-only": "rebase", "rebase-no-ff": "rebase", "ff": "merge"}
OUT_OF_DATE = "You are attempting to modify a pull request based on out-of-date information."
DATE = 1700000000000  # createdDate/updatedDate: fixed, nothing reads them


def failure(status, message):
    return ForgeAnswer(status, {"errors": [{"context": None, "message": message, "exceptionName": "com.atlassian.bitbucket.ServiceException"}]})


MERGE_REFUSALS = Refusals(stale=lambda head: failure(409, OUT_OF_DATE),
                          conflict=lambda: failure(409, "The pull request has conflicts and cannot be merged."))


def build_status_json(entry):
    state = {"success": "SUCCESSFUL", "failure": "FAILED"}.get(entry["state"], "INPROGRESS")
    return {"key": entry["context"], "name": entry.get("name", entry["context"]), "state": state, "description": entry["description"],
            "url": entry["target_url"] or "", "dateAdded": 1764806400000 + entry["id"]}


def build_statuses(query, sha):
    """Get build statuses for commit (GET /rest/build-status/latest/commits/{commitId}, Bitbucket
    Data Center 9.2, deprecated there but served): a page of RestBuildStatus, newest first."""
    every = [build_status_json(s) for s in reversed(statuses_of_commit(sha))]
    start, limit = int(first(query, "start", "0")), min(int(first(query, "limit", "25")), 1000)
    values = every[start:start + limit]
    answer = {"values": values, "size": len(values), "start": start, "limit": limit, "isLastPage": start + limit >= len(every)}
    if not answer["isLastPage"]:
        answer["nextPageStart"] = start + limit
    return 200, answer


def route(method, path, query, body):
    builds = re.fullmatch(r"/build-status/latest/commits/([0-9a-f]{40})", path)
    if builds and method == "GET":
        return build_statuses(query, builds.group(1))
    m = re.fullmatch(r"/api/latest/projects/([^/]+)/repos/([^/]+)(/.*)?", path)
    if not m or not exists(f"{m.group(1)}/{m.group(2)}"):
        raise failure(404, "Repository does not exist.")
    project, rest = f"{m.group(1)}/{m.group(2)}", m.group(3) or ""
    return ROUTES.answer(method, rest, Request(project, path, query, body), failure(404, "Not found."))


def pr_json(pr):
    project = pr["project"]
    head_sha = pr.get("merged_head") or branch_sha(project, pr["head"]) or pr.get("last_head", "")
    if pr.get("last_head") and head_sha != pr["last_head"] and not pr["merged"]:
        pr["version"] = pr.get("version", 0) + 1  # a rescope: the source branch moved
    pr["last_head"] = head_sha
    state = atlassian_state(pr)
    key, slug = project.split("/")
    web = web_url(f"/projects/{key}/repos/{slug}/pull-requests/{pr['number']}")
    answer = {
        "id": pr["number"], "version": pr.get("version", 0), "title": pr["title"], "description": pr["body"], "state": state,
        "open": state == "OPEN", "closed": state != "OPEN", "draft": pr["draft"], "locked": False,
        "createdDate": DATE, "updatedDate": DATE,
        "fromRef": {"id": "refs/heads/" + pr["head"], "displayId": pr["head"], "latestCommit": head_sha},
        "toRef": {"id": "refs/heads/" + pr["base"], "displayId": pr["base"], "latestCommit": branch_sha(project, pr["base"]) or ""},
        "links": {"self": [{"href": web}]}, "reviewers": [], "participants": [],
    }
    if pr.get("merge_sha"):
        # A merged PR names its merge commit so (bitbucket.sgdev.org's recorded merge.json).
        answer["properties"] = {"mergeCommit": {"id": pr["merge_sha"], "displayId": pr["merge_sha"][:11]}}
    return answer


def comment_json(entry):
    return {"id": entry["id"], "version": entry["version"], "text": entry["body"], "createdDate": DATE, "updatedDate": DATE}


def branch_of(ref):
    return ((ref or {}).get("id") or "").replace("refs/heads/", "", 1)


@ROUTES.add("GET", r"/pull-requests")
def list_pulls(request):
    query, state = request.query, first(request.query, "state", "OPEN")
    items = pulls_of(request.project, lambda p: state == "ALL" or atlassian_state(p) == state)
    if query.get("at"):
        items = [p for p in items if "refs/heads/" + p["base"] == query["at"][0]]
    start, limit = int(first(query, "start", "0")), int(first(query, "limit", "25"))
    if getattr(ARGS, "page_size", None):
        limit = min(limit, ARGS.page_size)
    values = items[start:start + limit]
    answer = {"values": [pr_json(p) for p in values], "size": len(values), "start": start, "limit": limit,
              "isLastPage": start + limit >= len(items)}
    if not answer["isLastPage"]:
        answer["nextPageStart"] = start + limit
    return 200, answer


@ROUTES.add("POST", r"/pull-requests")
def open_pull(request):
    body = request.body
    head, base = branch_of(body.get("fromRef")), branch_of(body.get("toRef"))
    pr = open_pr_unless_one_is(request.project, head, base,
                               lambda existing: failure(409, "Only one pull request may be open for a given source and target branch"),
                               lambda: {"title": body.get("title"), "body": body.get("description"), "draft": body.get("draft")})
    pr["version"] = 0
    return 201, pr_json(pr)


@ROUTES.add("GET", r"/pull-requests/(\d+)")
def get_pull(request, number):
    return 200, pr_json(find_pr(request.project, number))


@ROUTES.add("PUT", r"/pull-requests/(\d+)")
def edit_pull(request, number):
    pr, body = find_pr(request.project, number), request.body
    pr_json(pr)  # notices a rescope first
    if body.get("version") != pr.get("version", 0):
        raise failure(409, OUT_OF_DATE)
    pr["title"] = body.get("title", pr["title"])
    pr["body"] = body.get("description", pr["body"])
    pr["version"] = pr.get("version", 0) + 1
    return 200, pr_json(pr)


@ROUTES.add("GET", r"/pull-requests/(\d+)/merge")
def can_merge(request, number):
    pr = find_pr(request.project, number)
    head = branch_sha(request.project, pr["head"]) or ""
    states = [s["state"] for s in latest_statuses(request.project, head)]
    vetoes = []
    if "failure" in states:
        vetoes.append({"summaryMessage": "Not all required builds are successful yet",
                       "detailedMessage": "You cannot merge this pull request while it has failed builds."})
    elif "pending" in states:
        vetoes.append({"summaryMessage": "Not all required builds are successful yet",
                       "detailedMessage": "This pull request has 1 build in progress."})
    clean = mergeable(pr)
    return 200, {"outcome": "CLEAN" if clean else "CONFLICTED", "conflicted": not clean, "vetoes": vetoes}


@ROUTES.add("POST", r"/pull-requests/(\d+)/merge")
def merge_pull(request, number):
    pr, body = find_pr(request.project, number), request.body
    if pr["state"] != "open":
        raise failure(409, "The pull request is not open.")
    version = int((request.query.get("version") or [body.get("version", -1)])[0])
    if version != pr.get("version", 0):
        raise failure(409, OUT_OF_DATE)
    if head_is_failing(request.project, branch_sha(request.project, pr["head"]) or ""):
        raise failure(409, "Merging the pull request has been vetoed: not all required builds are successful yet.")
    merge(pr, STRATEGIES.get(body.get("strategyId", "no-ff"), "merge"), pr.get("last_head"), MERGE_REFUSALS)
    return 200, pr_json(pr)


@ROUTES.add("POST", r"/pull-requests/(\d+)/decline")
def decline_pull(request, number):
    return 200, pr_json(close_pr(request.project, number))


@ROUTES.add("POST", r"/pull-requests/(\d+)/comments")
def comment(request, number):
    find_pr(request.project, number)
    return 201, comment_json(add_comment(number, request.body.get("text", "")))


@ROUTES.add("PUT", r"/pull-requests/(\d+)/comments/(\d+)")
def edit_pull_comment(request, number, comment_id):
    find_pr(request.project, number)
    current = find_comment(comment_id)
    if current is None:
        raise failure(404, "No comment exists with ID " + comment_id)
    if request.body.get("version") != current["version"]:
        raise failure(409, "You are attempting to modify a comment based on out-of-date information.")
    return 200, comment_json(edit_comment(comment_id, request.body.get("text", "")))


@ROUTES.add("GET", r"/pull-requests/(\d+)/activities")
def activities(request, number):
    """Newest first; one COMMENTED activity per comment, carrying its current text."""
    find_pr(request.project, number)
    every = [{"id": c["id"] * 10, "createdDate": DATE, "user": {"name": "capstan"}, "action": "COMMENTED",
              "commentAction": "ADDED", "comment": comment_json(c)} for c in reversed(pr_comments(number))]
    start, limit = int(first(request.query, "start", "0")), int(first(request.query, "limit", "25"))
    if getattr(ARGS, "page_size", None):
        limit = min(limit, ARGS.page_size)
    values = every[start:start + limit]
    answer = {"values": values, "size": len(values), "start": start, "limit": limit,
              "isLastPage": start + limit >= len(every)}
    if not answer["isLastPage"]:
        answer["nextPageStart"] = start + limit
    return 200, answer


@ROUTES.add("POST", r"/commits/([0-9a-f]{40})/builds")
def set_build_status(request, sha):
    body = request.body
    if body.get("state") not in STATES or not body.get("key") or not body.get("url"):
        raise failure(400, "key, state and url are required")
    add_status(request.project, sha, STATES[body["state"]], body["key"], body.get("description", ""), body.get("url"),
               name=body.get("name"))
    return 204, None
