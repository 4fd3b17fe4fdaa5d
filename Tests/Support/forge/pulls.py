"""The forge-neutral pull request model every forge module answers from.

A PR is a dict in STATE["pulls"] keyed "OWNER/REPO#NUMBER": project, number, title, body,
head, base (branch names), state (open | closed), merged, draft, labels, reviewers, and after a
merge merge_sha, merged_at, merged_head, method. Comments are global (ids ascending across
PRs, as on the real forges) and carry their PR's number and an edit version.
"""
from .repos import branch_sha, mergeable
from .state import ARGS, STATE, ForgeAnswer, error, now, web_url


def open_pr_between(project, head, base):
    """The open PR from HEAD into BASE, if there is one (every forge refuses a second)."""
    for pr in STATE["pulls"].values():
        if pr["project"] == project and pr["state"] == "open" and pr["head"] == head and pr["base"] == base:
            return pr
    return None


def already_exists(pr):
    """Gitea's answer to a second PR between the same branches (the other forges check first,
    in their own words, so they meet this only for an "owner:branch" head)."""
    return ForgeAnswer(409, {"message": f"pull request already exists for these targets [id: {pr['number']}]"})


def new_pr(project, body, duplicate=already_exists):
    """Opens a PR from BODY's title, head ("owner:branch" or "branch"), base, body, draft and
    labels; DUPLICATE(pr) is the ForgeAnswer for an open PR that already joins the branches."""
    head = body.get("head", "")
    if ":" in head:
        head = head.split(":", 1)[1]
    base = body.get("base", "")
    if not body.get("title") or not head or not base:
        raise ForgeAnswer(422, {"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "missing_field"}]})
    if not branch_sha(project, head) or not branch_sha(project, base):
        raise ForgeAnswer(422, {"message": "Validation Failed", "errors": [{"resource": "PullRequest", "field": "head", "code": "invalid"}]})
    existing = open_pr_between(project, head, base)
    if existing:
        raise duplicate(existing)
    number = STATE["next"].get(project, 0) + 1
    STATE["next"][project] = number
    labels = [str(label) for label in body.get("labels", [])]
    pr = {"project": project, "number": number, "title": body["title"], "body": body.get("body") or "",
          "head": head, "base": base, "state": "open", "merged": False, "draft": bool(body.get("draft")),
          "labels": labels, "reviewers": []}
    STATE["pulls"][f"{project}#{number}"] = pr
    return pr


def open_pr_unless_one_is(project, head, base, duplicate, fields):
    """Opens a PR from HEAD into BASE the way GitLab, Bitbucket and Azure DevOps check it: a
    second open PR between the branches is refused (DUPLICATE(existing)) before anything else,
    even before the rest of the body is read (FIELDS() gives title, body, draft, labels)."""
    existing = open_pr_between(project, head, base)
    if existing:
        raise duplicate(existing)
    return new_pr(project, dict(fields(), head=head, base=base))


def find_pr(project, number):
    pr = STATE["pulls"].get(f"{project}#{number}")
    if not pr:
        raise error(404, "Not Found")
    return pr


def close_pr(project, number):
    """Closes (declines, abandons) the PR without merging it; returns it."""
    pr = find_pr(project, number)
    pr["state"] = "closed"
    return pr


def pulls_of(project, keep=lambda pr: True):
    """The repository's PRs that KEEP accepts, newest first."""
    return sorted((p for p in STATE["pulls"].values() if p["project"] == project and keep(p)), key=lambda p: -p["number"])


def remember_head(pr):
    """The head commit to show: the merged one once merged, else the branch's, else the last seen."""
    head_sha = pr.get("merged_head") or branch_sha(pr["project"], pr["head"]) or pr.get("last_head", "")
    pr["last_head"] = head_sha
    return head_sha


def poll_mergeable(pr):
    """An open PR's mergeability as a poll sees it: None while the forge is still computing (a
    mergeable_null_polls fault uses one up), else whether git can merge it."""
    if STATE["mergeable_null"] > 0:
        STATE["mergeable_null"] -= 1
        return None
    return mergeable(pr)


def atlassian_state(pr):
    """Bitbucket's PR state, Cloud and Data Center alike."""
    return "MERGED" if pr["merged"] else ("OPEN" if pr["state"] == "open" else "DECLINED")


def add_comment(number, body):
    """A new PR comment; ids are global and ascending, as on the real forges."""
    entry = {"id": len(STATE["comments"]) + 1, "number": int(number), "body": body, "version": 0, "created_at": now()}
    STATE["comments"].append(entry)
    return entry


def pr_comments(number):
    """The PR's comments, oldest first."""
    return [c for c in STATE["comments"] if c["number"] == int(number)]


def find_comment(comment_id):
    return next((c for c in STATE["comments"] if c["id"] == int(comment_id)), None)


def edit_comment(comment_id, body):
    entry = find_comment(comment_id)
    if entry is None:
        raise error(404, "Not Found")
    entry["body"] = body
    entry["version"] = entry.get("version", 0) + 1
    entry["updated_at"] = now()
    return entry


def page(items, query, size_name, default_size):
    """The page a `page`/`per_page`-style query asks for (1-based), and whether more follow."""
    size = int((query.get(size_name) or [default_size])[0])
    if getattr(ARGS, "page_size", None):  # --page-size: every list comes in pages this small
        size = min(size, ARGS.page_size)
    number = int((query.get("page") or ["1"])[0])
    return items[(number - 1) * size:number * size], number * size < len(items)


API_PREFIX = {"github": "/api/v3", "gitea": "/api/v1", "gitlab": "/api/v4", "bitbucket-cloud": "/2.0"}


def next_page_url(request, name="page"):
    """The URL of the page after the one REQUEST asked for (page-numbered lists)."""
    from urllib.parse import urlencode
    query = {k: v[0] for k, v in request.query.items()}
    query[name] = str(int(query.get(name, "1")) + 1)
    return web_url(API_PREFIX[ARGS.kind] + request.path) + "?" + urlencode(query)


def linked_page(request, items, size_name, default_size, to_json):
    """One page of ITEMS answered with an RFC 8288 Link to the next (GitHub, Gitea, GitLab)."""
    shown, more = page(items, request.query, size_name, default_size)
    headers = {"Link": f'<{next_page_url(request)}>; rel="next"'} if more else {}
    if more and ARGS.kind == "gitlab":
        headers["X-Next-Page"] = str(int(first(request.query, "page", "1")) + 1)
    raise ForgeAnswer(200, [to_json(item) for item in shown], headers)


def first(query, name, default):
    """The first value of query parameter NAME, or DEFAULT."""
    return (query.get(name) or [default])[0]
