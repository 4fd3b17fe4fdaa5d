"""GitHub and Gitea/Forgejo pull requests.

GitHub follows REST v3 as GitHub Enterprise Server serves it under /api/v3 (pull, issue-comment,
status and git-ref objects of docs.github.com/rest). Gitea (and Forgejo, which keeps Gitea's
API v1 shapes) serves /api/v1 with GitHub's shapes for most of it; the handlers are shared and
what Gitea does differently stands in the GITEA table (merge verb and body, statuses listed
one by one, branch deletion) or in an `is_github()` branch (shape details, status codes).
"""
import re
from urllib.parse import unquote

from .pulls import (add_comment, edit_comment, find_pr, first, linked_page, new_pr, next_page_url, page, poll_mergeable, pr_comments,
                    pulls_of, remember_head)
from .repos import Refusals, branch_sha, delete_existing_branch, exists, merge
from .router import Request, Routes
from .state import ARGS, STATE, ForgeAnswer, error, web_url
from .statuses import add_status, combined_state, history, latest_statuses

GITHUB, GITEA = Routes(), Routes()
MERGE_REFUSALS = {
    "github": Refusals(stale=lambda head: error(409, "Head branch was modified. Review and try the merge again."),
                       conflict=lambda: error(405, "Pull Request is not mergeable")),
    "gitea": Refusals(stale=lambda head: error(409, "head out of date: the head commit is not the one given in head_commit_id"),
                      conflict=lambda: error(405, "Please try again later")),
}


def is_github():
    return ARGS.kind == "github"


def both(method, pattern):
    """Registers one handler in both tables."""
    def register(function):
        return GITEA.add(method, pattern)(GITHUB.add(method, pattern)(function))
    return register


def route(method, path, query, body):
    m = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", path)
    if not m or not exists(m.group(1)):
        raise error(404, "Not Found")
    project, rest = m.group(1), m.group(2) or ""
    table = GITHUB if is_github() else GITEA
    return table.answer(method, rest, Request(project, path, query, body), error(404, "Not Found"))


def labels_json(labels):
    return [{"id": i + 1, "name": n, "color": "ededed", "description": ""} for i, n in enumerate(labels)]


def pr_json(pr, with_mergeable=True):
    """GitHub's pull-request object; Gitea's PullRequest (plain labels, a never-null mergeable)."""
    project = pr["project"]
    head_sha = remember_head(pr)
    base_sha = branch_sha(project, pr["base"]) or ""
    owner, repo = project.split("/")
    web = web_url(f"/{project}/pulls/{pr['number']}")
    labels = labels_json(pr["labels"])
    user = {"login": "capstan", "id": 1}
    state = "open" if pr["state"] == "open" else "closed"
    mergeable_value = None
    if with_mergeable and pr["state"] == "open":
        mergeable_value = poll_mergeable(pr)
    elif pr["state"] != "open":
        mergeable_value = False
    if is_github():
        answer = {
            "id": pr["number"] * 100, "number": pr["number"], "state": state, "title": pr["title"],
            "body": pr["body"], "html_url": web,
            "url": web_url(f"/api/v3/repos/{project}/pulls/{pr['number']}"),
            "head": {"ref": pr["head"], "sha": head_sha, "label": f"{owner}:{pr['head']}"},
            "base": {"ref": pr["base"], "sha": base_sha, "label": f"{owner}:{pr['base']}"},
            "mergeable": mergeable_value, "merged": pr["merged"],
            "merged_at": pr.get("merged_at"), "merge_commit_sha": pr.get("merge_sha"),
            "draft": pr["draft"], "labels": labels, "user": user,
            "requested_reviewers": [{"login": r, "id": 2} for r in pr["reviewers"]],
        }
        if with_mergeable and pr["state"] == "open" and STATE["blocked_polls"] > 0:
            STATE["blocked_polls"] -= 1  # branch protection: a required check or review is not there yet
            answer["mergeable_state"] = "blocked"
        return answer
    return {
        "id": pr["number"] * 100, "number": pr["number"], "state": state, "title": pr["title"],
        "body": pr["body"], "html_url": web, "url": web,
        "head": {"ref": pr["head"], "sha": head_sha, "label": pr["head"]},
        "base": {"ref": pr["base"], "sha": base_sha, "label": pr["base"]},
        "mergeable": bool(mergeable_value) if mergeable_value is not None else False,
        "merged": pr["merged"], "merged_at": pr.get("merged_at"),
        "merge_commit_sha": pr.get("merge_sha"), "labels": labels, "user": user,
    }


def simple_pr_json(pr):
    """A list item: GitHub's pull-request-simple carries no mergeability."""
    answer = pr_json(pr, with_mergeable=False)
    if is_github():
        for field in ("mergeable", "merged"):
            answer.pop(field, None)
    return answer


def issue_comment_json(project, entry):
    """GitHub's issue-comment and Gitea's Comment."""
    web = web_url(f"/{project}/pull/{entry['number']}#issuecomment-{entry['id']}")
    return {"id": entry["id"], "body": entry["body"], "html_url": web, "user": {"login": "capstan", "id": 1},
            "created_at": entry["created_at"], "updated_at": entry.get("updated_at", entry["created_at"])}


def status_json(entry):
    """GitHub's status ("state"); Gitea's CommitStatus ("status", target_url never null)."""
    if is_github():
        return {"id": entry["id"], "state": entry["state"], "context": entry["context"],
                "description": entry["description"], "target_url": entry["target_url"],
                "created_at": entry["created_at"], "updated_at": entry["updated_at"]}
    return {"id": entry["id"], "status": entry["state"], "context": entry["context"],
            "description": entry["description"], "target_url": entry["target_url"] or "",
            "created_at": entry["created_at"], "updated_at": entry["updated_at"]}


@both("GET", r"/pulls")
def list_pulls(request):
    query = request.query
    state = first(query, "state", "open")
    items = pulls_of(request.project, lambda p: state == "all" or (p["state"] == "open") == (state == "open"))
    if is_github() and query.get("head"):
        want = query["head"][0].split(":", 1)[-1]
        items = [p for p in items if p["head"] == want]
    if query.get("base"):
        items = [p for p in items if p["base"] == query["base"][0]]
    if is_github():
        linked_page(request, items, "per_page", "30", simple_pr_json)
    linked_page(request, items, "limit", "50", simple_pr_json)


def github_duplicate(pr):
    return ForgeAnswer(422, {"message": "Validation Failed", "errors": [
        {"resource": "PullRequest", "code": "custom", "message": f"A pull request already exists for {pr['head']}."}]})


@both("POST", r"/pulls")
def open_pull(request):
    if is_github():
        return 201, pr_json(new_pr(request.project, request.body, github_duplicate))
    return 201, pr_json(new_pr(request.project, request.body))


@both("GET", r"/pulls/(\d+)")
def get_pull(request, number):
    return 200, pr_json(find_pr(request.project, number))


@both("PATCH", r"/pulls/(\d+)")
def edit_pull(request, number):
    pr, body = find_pr(request.project, number), request.body
    for field in ("title", "body"):
        if field in body:
            pr[field] = body[field]
    if body.get("state") == "closed" and pr["state"] == "open":
        pr["state"] = "closed"
    return 201 if not is_github() else 200, pr_json(pr)


def open_pr(request, number):
    pr = find_pr(request.project, number)
    if pr["state"] != "open":
        raise error(405, "Pull Request is not mergeable")
    return pr


@GITHUB.add("PUT", r"/pulls/(\d+)/merge")
def github_merge(request, number):
    pr, body = open_pr(request, number), request.body
    merged = merge(pr, body.get("merge_method", "merge"), body.get("sha"), MERGE_REFUSALS["github"])
    return 200, {"sha": merged, "merged": True, "message": "Pull Request successfully merged"}


@GITEA.add("POST", r"/pulls/(\d+)/merge")
def gitea_merge(request, number):
    pr, body = open_pr(request, number), request.body
    if "Do" not in body:
        raise error(422, "[Do]: Required")
    if body.get("merge_when_checks_succeed") and combined_state(latest_statuses(request.project, remember_head(pr), count_read=False)) != "success":
        pr["auto_merge"] = True  # Gitea schedules the merge for when the checks succeed; the test forge records the wish
        return 200, None
    merge(pr, body["Do"], body.get("head_commit_id"), MERGE_REFUSALS["gitea"])
    return 200, None


@both("POST", r"/pulls/(\d+)/requested_reviewers")
def request_reviewers(request, number):
    pr, wanted = find_pr(request.project, number), request.body.get("reviewers", [])
    pr["reviewers"] = sorted(set(pr["reviewers"]) | set(wanted))
    if is_github():
        return 201, simple_pr_json(pr)
    return 201, [{"id": 1, "state": "REQUEST_REVIEW", "body": "", "user": {"login": r, "id": 2}} for r in wanted]


@both("POST", r"/issues/(\d+)/labels")
def add_labels(request, number):
    pr = find_pr(request.project, number)
    for label in request.body.get("labels", []):
        if str(label) not in pr["labels"]:
            pr["labels"].append(str(label))
    return 200, labels_json(pr["labels"])


@both("POST", r"/issues/(\d+)/comments")
def comment(request, number):
    find_pr(request.project, number)
    return 201, issue_comment_json(request.project, add_comment(number, request.body.get("body", "")))


@both("GET", r"/issues/(\d+)/comments")
def list_comments(request, number):
    find_pr(request.project, number)
    items = pr_comments(number)
    if is_github():  # GitHub pages by per_page (default 30) and page; Gitea 1.15 answers them all
        linked_page(request, items, "per_page", "30", lambda c: issue_comment_json(request.project, c))
    return 200, [issue_comment_json(request.project, c) for c in items]


@both("PATCH", r"/issues/comments/(\d+)")
def edit_issue_comment(request, comment_id):
    if "body" not in request.body:
        raise ForgeAnswer(422, {"message": "Validation Failed", "errors": [{"field": "body", "code": "missing_field"}]})
    return 200, issue_comment_json(request.project, edit_comment(comment_id, request.body["body"]))


@both("POST", r"/statuses/([0-9a-f]{40})")
def set_status(request, sha):
    body = request.body
    if body.get("state") not in ("pending", "success", "failure", "error", "warning"):
        raise ForgeAnswer(422, {"message": "Validation Failed", "errors": [{"field": "state", "code": "invalid"}]})
    entry = add_status(request.project, sha, body["state"], body.get("context") or "default",
                       body.get("description", ""), body.get("target_url"))
    return 201, status_json(entry)


@GITHUB.add("GET", r"/commits/([^/]+)/status")
def combined_status(request, sha):
    """The latest status per context with the combined state of them all; the statuses are
    paged (per_page, default 30; page) with a Link header, state and total_count are not."""
    first_page = first(request.query, "page", "1") == "1"
    statuses = latest_statuses(request.project, sha, count_read=first_page)
    items, more = page(statuses, request.query, "per_page", "30")
    headers = {"Link": f'<{next_page_url(request)}>; rel="next"'} if more else {}
    raise ForgeAnswer(200, {"state": combined_state(statuses), "total_count": len(statuses), "sha": sha,
                            "statuses": [status_json(s) for s in items]}, headers)


@GITHUB.add("GET", r"/commits/([^/]+)/check-runs")
def check_runs(request, sha):
    """GitHub's check runs of a commit (docs.github.com/rest/checks/runs), paged with a Link
    header. The runs come from a {"check_runs": [...]} fault and apply to every commit; a run
    with "queued_reads": N says status "queued" (no conclusion) for its first N reads."""
    reads = STATE["check_run_reads"] = STATE.get("check_run_reads", 0) + (1 if first(request.query, "page", "1") == "1" else 0)
    runs = []
    for index, run in enumerate(STATE.get("check_runs", [])):
        queued = reads <= run.get("queued_reads", 0)
        runs.append({"id": index + 1, "head_sha": sha, "node_id": f"CR_{index + 1}", "external_id": "",
                     "url": web_url(f"/api/v3/repos/{request.project}/check-runs/{index + 1}"),
                     "html_url": web_url(f"/{request.project}/runs/{index + 1}"), "details_url": None,
                     "status": "queued" if queued else run["status"], "conclusion": None if queued else run.get("conclusion"),
                     "started_at": None if queued else "2026-01-01T00:00:00Z", "completed_at": None,
                     "output": {"title": None, "summary": None, "text": None, "annotations_count": 0, "annotations_url": ""},
                     "name": run["name"], "check_suite": {"id": 1}, "app": None, "pull_requests": []})
    items, more = page(runs, request.query, "per_page", "30")
    number = int(first(request.query, "page", "1"))
    headers = {}
    if more:
        headers["Link"] = (f'<{web_url(f"/api/v3/repos/{request.project}/commits/{sha}/check-runs")}?per_page='
                           f'{first(request.query, "per_page", "30")}&page={number + 1}>; rel="next"')
    raise ForgeAnswer(200, {"total_count": len(runs), "check_runs": items}, headers)


@GITHUB.add("GET", r"/branches/(.+)/protection/required_status_checks")
def required_status_checks(request, branch):
    """GitHub's status-check-policy of a protected branch (docs.github.com/rest/branches/branch-protection,
    Get status checks protection). A token without the administration permission gets 403 ("Resource not
    accessible by integration") or 404 ("Not Found"); a branch without protection 404 "Branch not protected"."""
    required = STATE.get("required_checks")
    status = STATE.get("protection_status", 200)
    if status == 403:
        raise error(403, "Resource not accessible by integration")
    if status == 404:
        raise error(404, "Not Found")
    if required is None:
        raise error(404, "Branch not protected")
    url = web_url(f"/api/v3/repos/{request.project}/branches/{branch}/protection/required_status_checks")
    return 200, {"url": url, "strict": False, "contexts": required, "contexts_url": url + "/contexts",
                 "checks": [{"context": name, "app_id": None} for name in required]}


@GITHUB.add("GET", r"/rules/branches/(.+)")
def branch_rules(request, branch):
    """GitHub's active ruleset rules for a branch (docs.github.com/rest/repos/rules, Get rules for a
    branch), readable with read access; a {"ruleset_checks": ["build"]} fault adds one
    required_status_checks rule. Paged with a Link header."""
    rules = []
    if STATE.get("ruleset_checks"):
        rules.append({"type": "required_status_checks", "ruleset_source_type": "Repository", "ruleset_source": request.project,
                      "ruleset_id": 42, "parameters": {
                          "strict_required_status_checks_policy": False, "do_not_enforce_on_create": False,
                          "required_status_checks": [{"context": name} for name in STATE["ruleset_checks"]]}})
        rules.append({"type": "deletion", "ruleset_source_type": "Repository", "ruleset_source": request.project, "ruleset_id": 42})
    linked_page(request, rules, "per_page", "30", lambda rule: rule)


@GITEA.add("GET", r"/commits/([^/]+)/statuses")
def gitea_statuses(request, sha):
    latest_statuses(request.project, sha)  # a poll: may turn pending ones green
    linked_page(request, list(reversed(history(request.project, sha))), "limit", "50", status_json)


@GITHUB.add("DELETE", r"/git/refs/heads/(.+)")
def github_delete_branch(request, branch):
    delete_existing_branch(request.project, unquote(branch), error(422, "Reference does not exist"))
    return 204, None


@GITEA.add("DELETE", r"/branches/(.+)")
def gitea_delete_branch(request, branch):
    delete_existing_branch(request.project, unquote(branch), error(404, "Reference does not exist"))
    return 204, None
