"""Azure DevOps pull requests: Git REST 7.1 under /ORG/PROJECT/_apis/git/repositories/REPO, in
the shapes of the description in Tests/Fixtures/forges/specs/azure-devops.json (GitPullRequest, comment
threads, GitPullRequestStatus-like commit statuses, {"value": [...], "count": n} lists).
Every call must say api-version=7.1. The repository is DIR/ORG/REPO.git; the PROJECT seen last
is remembered for the URLs the answers carry."""
import re

from .pulls import (add_comment, edit_comment, find_pr, first, open_pr_unless_one_is, poll_mergeable,
                    pr_comments, pulls_of, remember_head)
from .repos import Refusals, delete_branch, exists, merge
from .router import Request, Routes
from .state import ARGS, STATE, error, now, web_url
from .statuses import add_status, latest_statuses, newest_first

ROUTES = Routes()
STATES = {"pending": "pending", "succeeded": "success", "failed": "failure", "error": "failure", "notApplicable": "success"}
STRATEGIES = {"noFastForward": "merge", "squash": "squash", "rebase": "rebase", "rebaseMerge": "merge"}
MERGE_REFUSALS = Refusals(
    stale=lambda head: error(409, "TF401192: The source branch of the pull request was updated; the merge was not completed."),
    conflict=lambda: error(400, "TF401179: The pull request has merge conflicts."))


PROJECT_ID = "00000000-0000-0000-0000-0000000000b1"


def route(method, path, query, body):
    policy = re.fullmatch(r"/([^/]+)/([^/]+)/_apis/policy/evaluations", path)
    if policy and method == "GET":
        return policy_evaluations(query)
    m = re.fullmatch(r"/([^/]+)/([^/]+)/_apis/git/repositories/([^/]+)(/.*)?", path)
    if not m or not exists(f"{m.group(1)}/{m.group(3)}"):
        raise error(404, "TF401019: The Git repository does not exist or you do not have permissions.")
    if first(query, "api-version", "") != "7.1":
        raise error(400, "The api-version query parameter is required (7.1).")
    project, rest = f"{m.group(1)}/{m.group(3)}", m.group(4) or ""
    STATE.setdefault("azure_projects", {})[project] = m.group(2)  # for the web and API URLs
    return ROUTES.answer(method, rest, Request(project, path, query, body),
                         error(404, "The requested resource does not exist."))


def pr_json(pr, with_mergeable=True):
    project = pr["project"]
    head_sha = remember_head(pr)
    status = "completed" if pr["merged"] else ("active" if pr["state"] == "open" else "abandoned")
    merge_status = "queued"
    if pr["state"] == "open" and with_mergeable:
        clean = poll_mergeable(pr)
        if clean is not None:
            merge_status = "succeeded" if clean else "conflicts"
    elif pr["merged"]:
        merge_status = "succeeded"
    if pr.get("completing"):
        merge_status = "queued"
    elif pr.get("completion_rejected") and pr["state"] == "open":
        merge_status = "rejectedByPolicy"
    org, repo = project.split("/")
    azure_project = STATE.get("azure_projects", {}).get(project, org)
    base = web_url(f"/{org}/{azure_project}/_apis/git/repositories/{repo}")
    answer = {
        "pullRequestId": pr["number"], "codeReviewId": pr["number"], "status": status, "title": pr["title"],
        "description": pr["body"], "sourceRefName": "refs/heads/" + pr["head"], "targetRefName": "refs/heads/" + pr["base"],
        "mergeStatus": merge_status, "isDraft": pr["draft"], "creationDate": now(),
        "lastMergeSourceCommit": {"commitId": head_sha, "url": f"{base}/commits/{head_sha}"},
        "labels": [{"id": str(i + 1), "name": n, "active": True} for i, n in enumerate(pr["labels"])],
        "reviewers": [], "createdBy": {"id": "1", "displayName": "Capstan"}, "url": f"{base}/pullRequests/{pr['number']}",
        # As real answers: the repository's remoteUrl (its web and clone address), no webUrl.
        "repository": {"id": "00000000-0000-0000-0000-0000000000a1", "name": repo, "url": f"{base}",
                       "remoteUrl": web_url(f"/{org}/{azure_project}/_git/{repo}"),
                       "project": {"id": PROJECT_ID, "name": azure_project}},
    }
    if pr.get("auto_merge"):
        answer["autoCompleteSetBy"] = {"id": pr.get("auto_complete_set_by"), "displayName": "Capstan"}
    if pr.get("merge_sha"):
        answer["lastMergeCommit"] = {"commitId": pr["merge_sha"]}
    return answer


def thread_json(entry):
    """A PR comment is a thread holding one comment (id 1)."""
    return {"id": entry["id"], "status": "active", "publishedDate": entry["created_at"], "isDeleted": False,
            "comments": [comment_json(entry)]}


def comment_json(entry):
    return {"id": 1, "parentCommentId": 0, "content": entry["body"], "commentType": "text", "isDeleted": False,
            "publishedDate": entry["created_at"], "lastUpdatedDate": entry.get("updated_at", entry["created_at"])}


def status_json(entry):
    raw = entry.get("raw") if entry["state"] != "success" else "succeeded"
    genre, _, name = entry["context"].partition("/")
    return {"id": entry["id"], "state": raw, "description": entry["description"], "context": {"genre": genre, "name": name},
            "targetUrl": entry["target_url"] or "", "creationDate": entry["created_at"], "updatedDate": entry["updated_at"]}


def branch_of(ref_name):
    return (ref_name or "").replace("refs/heads/", "", 1)


@ROUTES.add("GET", r"/pullrequests")
def list_pulls(request):
    query, status = request.query, first(request.query, "searchCriteria.status", "active")
    items = pulls_of(request.project)
    if status == "active":
        items = [p for p in items if p["state"] == "open"]
    elif status == "completed":
        items = [p for p in items if p["merged"]]
    for field, key in (("searchCriteria.sourceRefName", "head"), ("searchCriteria.targetRefName", "base")):
        if query.get(field):
            items = [p for p in items if "refs/heads/" + p[key] == query[field][0]]
    # $top/$skip as the description pages them (--page-size caps $top, so every list is paged).
    skip, top = int(first(query, "$skip", "0") or 0), int(first(query, "$top", "101") or 101)
    if getattr(ARGS, "page_size", None):
        top = min(top, ARGS.page_size)
    items = items[skip:skip + top]
    return 200, {"value": [pr_json(p, with_mergeable=False) for p in items], "count": len(items)}


@ROUTES.add("POST", r"/pullrequests")
def open_pull(request):
    body = request.body
    head, base = branch_of(body.get("sourceRefName")), branch_of(body.get("targetRefName"))
    pr = open_pr_unless_one_is(
        request.project, head, base,
        lambda existing: error(409, "TF401179: An active pull request for the source and target branch already exists."),
        lambda: {"title": body.get("title"), "body": body.get("description"), "draft": body.get("isDraft"),
                 "labels": [l.get("name") for l in body.get("labels", [])]})
    return 200, pr_json(pr)


def complete(project, pr, body):
    options = body.get("completionOptions") or {}
    merge(pr, STRATEGIES.get(options.get("mergeStrategy", "noFastForward"), "merge"),
          (body.get("lastMergeSourceCommit") or {}).get("commitId"), MERGE_REFUSALS)
    if options.get("deleteSourceBranch"):
        delete_branch(project, pr["head"])


@ROUTES.add("GET", r"/pullrequests/(\d+)", re.IGNORECASE)
def get_pull(request, number):
    pr = find_pr(request.project, number)
    completing = pr.get("completing")
    if completing and completing["reads"] > 0:
        completing["reads"] -= 1
    elif completing:
        del pr["completing"]
        if completing["fails"]:
            pr["completion_rejected"] = True
        else:
            complete(request.project, pr, completing["body"])
    return 200, pr_json(pr)


@ROUTES.add("PATCH", r"/pullrequests/(\d+)", re.IGNORECASE)
def update_pull(request, number):
    """Completing (merging), abandoning and editing are all one PATCH."""
    pr, body = find_pr(request.project, number), request.body
    if body.get("status") == "completed":
        if pr["state"] != "open":
            raise error(400, "TF401181: The pull request cannot be completed: it is not active.")
        if STATE.get("async_merge_polls") is not None:
            # Azure completes in the background: the PR stays active for that many reads.
            pr["completing"] = {"reads": STATE.pop("async_merge_polls"), "fails": STATE.pop("async_merge_fails", None),
                                "body": body}
            return 200, pr_json(pr)
        complete(request.project, pr, body)
        return 200, pr_json(pr)
    if body.get("autoCompleteSetBy"):
        if pr["state"] != "open":
            raise error(400, "TF401181: The pull request cannot be completed: it is not active.")
        # Azure completes it once its policies pass; the test forge records the wish and who set it.
        pr["auto_merge"] = True
        pr["auto_complete_set_by"] = body["autoCompleteSetBy"].get("id")
    if body.get("status") == "abandoned":
        pr["state"] = "closed"
    if "title" in body:
        pr["title"] = body["title"]
    if "description" in body:
        pr["body"] = body["description"]
    return 200, pr_json(pr)


@ROUTES.add("POST", r"/pullRequests/(\d+)/labels")
def add_label(request, number):
    pr, name = find_pr(request.project, number), request.body.get("name")
    if name and name not in pr["labels"]:
        pr["labels"].append(name)
    return 200, {"id": str(len(pr["labels"])), "name": name, "active": True}


@ROUTES.add("POST", r"/pullRequests/(\d+)/threads")
def open_thread(request, number):
    find_pr(request.project, number)
    text = (request.body.get("comments") or [{}])[0].get("content", "")
    return 200, thread_json(add_comment(number, text))


@ROUTES.add("GET", r"/pullRequests/(\d+)/threads")
def list_threads(request, number):
    find_pr(request.project, number)
    threads = [thread_json(c) for c in pr_comments(number)]
    return 200, {"value": threads, "count": len(threads)}


@ROUTES.add("PATCH", r"/pullRequests/(\d+)/threads/(\d+)/comments/(\d+)")
def edit_thread_comment(request, number, thread_id, comment_id):
    find_pr(request.project, number)
    if comment_id != "1" or "content" not in request.body:
        raise error(400, "TF401176: The comment was not found or the content is missing.")
    return 200, comment_json(edit_comment(thread_id, request.body["content"]))


@ROUTES.add("POST", r"/commits/([0-9a-f]{40})/statuses")
def set_status(request, sha):
    body = request.body
    if body.get("state") not in STATES:
        raise error(400, "The status state is not valid.")
    context = body.get("context") or {}
    entry = add_status(request.project, sha, STATES[body["state"]], f"{context.get('genre', '')}/{context.get('name', '')}",
                       body.get("description", ""), body.get("targetUrl"), raw=body["state"])
    return 200, status_json(entry)


@ROUTES.add("GET", r"/commits/([0-9a-f]{40})/statuses")
def list_statuses(request, sha):
    latest = latest_statuses(request.project, sha)
    return 200, {"value": [status_json(s) for s in newest_first(latest)], "count": len(latest)}


@ROUTES.add("GET", r"/pullRequests/(\d+)/statuses")
def list_pull_request_statuses(request, number):
    """Pull Request Statuses - List: this forge's CI posts commit statuses only, so a PR's own list is empty."""
    find_pr(request.project, number)
    return 200, {"value": [], "count": 0}


def policy_evaluations(query):
    """Policy Evaluations - List (learn.microsoft.com/rest/api/azure/devops/policy/evaluations/list,
    api-version 7.1-preview.1) of the PR named by artifactId vstfs:///CodeReview/CodeReviewId/{projectId}/{prId},
    from a {"policies": [{"name": "Build", "status": "running", "blocking": true}], "policy_status": 200}
    fault; a policy_status of 403 answers what a token without policy read gets."""
    if first(query, "api-version", "") != "7.1-preview.1":
        raise error(400, "The api-version query parameter is required (7.1-preview.1).")
    artifact = first(query, "artifactId", "")
    m = re.fullmatch(r"vstfs:///CodeReview/CodeReviewId/([0-9a-f-]{36})/(\d+)", artifact)
    if not m or m.group(1) != PROJECT_ID:
        raise error(400, f"TF400898: artifactId {artifact!r} is not a code review of this project.")
    if STATE.get("policy_status", 200) == 403:
        raise error(403, "TF401027: You need the Git 'PullRequestContribute' permission to perform this action.")
    values = [{"evaluationId": f"00000000-0000-0000-0000-00000000{index:04d}", "artifactId": artifact, "status": p["status"],
               "startedDate": now(), "completedDate": None,
               "configuration": {"id": index + 1, "revision": 1, "isEnabled": p.get("enabled", True),
                                 "isBlocking": p.get("blocking", True), "isDeleted": False,
                                 "type": {"id": "0609b952-1397-4640-95ec-e00a01b2c241", "displayName": p["name"]},
                                 "settings": {}}}
              for index, p in enumerate(STATE.get("policies", []))]
    return 200, {"count": len(values), "value": values}
