"""Commit statuses, kept per repository and commit in the forge-neutral states
pending | success | failure (each forge maps its own names onto these and keeps the original
as "raw" where its answers give it back)."""
from .state import STATE, now


def add_status(project, sha, state, context, description, target_url, raw=None, name=None):
    """Records a status; ids count up per commit, as the forges' own do. NAME: Bitbucket's
    display name, when it differs from the key (CONTEXT)."""
    key = f"{project}@{sha}"
    entry = {"id": len(STATE["statuses"].get(key, [])) + 1, "state": state}
    if raw is not None:
        entry["raw"] = raw
    if name:
        entry["name"] = name
    entry.update(context=context, description=description, target_url=target_url, created_at=now(), updated_at=now())
    STATE["statuses"].setdefault(key, []).append(entry)
    return entry


def history(project, sha):
    """Every status of the commit, oldest first."""
    return STATE["statuses"].get(f"{project}@{sha}", [])


def combined_state(statuses):
    """GitHub's combined state of the latest status per context."""
    states = [s["state"] for s in statuses]
    if not states:
        return "pending"
    if any(s in ("failure", "error") for s in states):
        return "failure"
    if any(s == "pending" for s in states):
        return "pending"
    return "success"


def latest_statuses(project, sha, count_read=True):
    """The latest status per context; a read may turn pending ones green (a CI finishing), or
    give a commit with no status at all a green "ci" one (a CI registering its check late)."""
    key = f"{project}@{sha}"
    reads = STATE["status_reads"].get(key, 0) + (1 if count_read else 0)
    STATE["status_reads"][key] = reads
    late = STATE["ci_reports_after"]
    if count_read and late is not None and reads > late and not STATE["statuses"].get(key):
        add_status(project, sha, "success", "ci", "reported late by the test forge", None)
    after = STATE["pending_to_success_after"]
    latest = {}
    for status in STATE["statuses"].get(key, []):
        latest[status["context"]] = status
    if count_read and after is not None and reads > after:
        for context, status in list(latest.items()):
            if status["state"] == "pending":
                promoted = dict(status, state="success", id=len(STATE["statuses"][key]) + 1,
                                description="turned green by the test forge", created_at=now())
                STATE["statuses"][key].append(promoted)
                latest[context] = promoted
    return list(latest.values())


def statuses_of_commit(sha):
    """The latest status per context of SHA in every repository (Bitbucket Data Center's
    build-status API is not scoped to a repository), oldest first."""
    found = []
    for key in sorted(STATE["statuses"]):
        if key.endswith("@" + sha):
            found += latest_statuses(key.rsplit("@", 1)[0], sha)
    return sorted(found, key=lambda s: (s["created_at"], s["id"]))


def newest_first(statuses):
    return sorted(statuses, key=lambda s: -s["id"])


def head_is_failing(project, head):
    """Whether a required status of HEAD is red (read without counting as a poll)."""
    return combined_state(latest_statuses(project, head, count_read=False)) == "failure"
