"""The bare repositories behind the forge, changed only through the real `git` CLI.

A merge, squash or rebase is made in a temporary worktree of the bare repository, so what
lands on the base branch is exactly what git made; mergeability is `git merge-tree`.
"""
import os
import shutil
import subprocess
import tempfile

from .state import ARGS, STATE, error, now
from .statuses import head_is_failing

GIT_ENV = {"GIT_AUTHOR_NAME": "Test Forge", "GIT_AUTHOR_EMAIL": "forge@example.com",
           "GIT_COMMITTER_NAME": "Test Forge", "GIT_COMMITTER_EMAIL": "forge@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/tmp", "PATH": "/usr/bin:/bin"}


def git(args, cwd, check=True):
    result = subprocess.run(["git"] + args, cwd=cwd, env=GIT_ENV, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {result.stderr}")
    return result


def bare(project):
    """The bare repository of OWNER/REPO (DIR/OWNER/REPO.git under --root)."""
    return os.path.join(ARGS.root, project + ".git")


def exists(project):
    return os.path.isdir(bare(project))


def branch_sha(project, branch):
    result = git(["rev-parse", "--verify", "-q", f"refs/heads/{branch}"], bare(project), check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def commit_sha(project, name):
    """The full hash of the commit NAME (an abbreviated hash too), or "" when there is none."""
    return git(["rev-parse", "--verify", "-q", name + "^{commit}"], bare(project), check=False).stdout.strip()


def delete_branch(project, branch):
    git(["update-ref", "-d", f"refs/heads/{branch}"], bare(project))


def delete_existing_branch(project, branch, missing):
    """Deletes BRANCH, or raises MISSING (the forge's ForgeAnswer) when there is no such branch."""
    if not branch_sha(project, branch):
        raise missing
    delete_branch(project, branch)


def mergeable(pr):
    base = branch_sha(pr["project"], pr["base"])
    head = branch_sha(pr["project"], pr["head"])
    if not base or not head:
        return False
    result = git(["merge-tree", "--write-tree", base, head], bare(pr["project"]), check=False)
    return result.returncode == 0


def move_head(pr):
    """Someone else pushes a commit (same tree) to the PR's head branch."""
    project = pr["project"]
    head = branch_sha(project, pr["head"])
    tree = git(["rev-parse", f"{head}^{{tree}}"], bare(project)).stdout.strip()
    moved = git(["commit-tree", tree, "-p", head, "-m", "someone pushed meanwhile"], bare(project)).stdout.strip()
    git(["update-ref", f"refs/heads/{pr['head']}", moved, head], bare(project))


def required_check_failing():
    """The refusal for a red status, which all but GitLab answer in GitHub's words here."""
    return error(405, "Required status check \"ci\" is failing.")


class Refusals:
    """How one forge says no to a merge: each is a function returning the ForgeAnswer to raise.

    stale(head): the head moved away from the commit the client named; conflict(): git cannot
    merge; failing(): a required status is red.
    """

    def __init__(self, stale, conflict, failing=required_check_failing):
        self.stale, self.conflict, self.failing = stale, conflict, failing


def merge(pr, method, sha, refusals):
    """Lands PR with METHOD (merge | squash | rebase | rebase-merge) and returns the new base.

    SHA, when given, must still be the head (and a move_head_on_merge fault moves it first).
    """
    project = pr["project"]
    if STATE["move_head_on_merge"]:
        STATE["move_head_on_merge"] = False
        move_head(pr)
    head = branch_sha(project, pr["head"])
    base = branch_sha(project, pr["base"])
    if sha and sha != head:
        raise refusals.stale(head)
    if not mergeable(pr):
        raise refusals.conflict()
    if head_is_failing(project, head):
        raise refusals.failing()
    work = tempfile.mkdtemp(prefix="forge-merge-")
    tree = os.path.join(work, "tree")
    try:
        git(["worktree", "add", "-q", "--detach", tree, base], bare(project))
        if method == "merge":
            git(["merge", "-q", "--no-ff", "-m", f"Merge pull request #{pr['number']} from {pr['head']}\n\n{pr['title']}", head], tree)
        elif method == "squash":
            git(["merge", "-q", "--squash", head], tree)
            git(["commit", "-q", "-m", f"{pr['title']} (#{pr['number']})"], tree)
        elif method in ("rebase", "rebase-merge"):
            git(["cherry-pick", "--allow-empty", f"{base}..{head}"], tree)
        else:
            raise error(422, f"unknown merge method {method}")
        merged = git(["rev-parse", "HEAD"], tree).stdout.strip()
        git(["update-ref", f"refs/heads/{pr['base']}", merged, base], bare(project))
    finally:
        git(["worktree", "remove", "--force", tree], bare(project), check=False)
        shutil.rmtree(work, ignore_errors=True)
    pr.update(state="closed", merged=True, merge_sha=merged, merged_at=now(), merged_head=head, method=method)
    return merged
