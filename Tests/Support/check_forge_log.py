#!/usr/bin/env python3
"""Checks a test forge's API log (api.jsonl) against the forge's official API description.

Usage: check_forge_log.py --kind github|gitea --specs DIR LOG

For every request Capstan sent: the path and method exist, every query parameter is
declared, required parameters and required body fields are present, every body field is
declared. For every answer the test forge gave: the status is documented for the
operation and every field it returned is declared in the response schema (so the test
forge cannot invent shapes). And every field the Capstan client reads (READS below) is
declared in the schema of the answer it reads it from.
Prints one line per problem and exits 1 when there is any; prints a summary otherwise.
"""
import argparse
import json
import os
import re
import sys

# Operations the cut-down official descriptions leave out (listing and editing PR
# comments; GitHub's check runs), transcribed by hand from each forge's documentation; merged into the
# description at load time. Their answers reference the official components.
SUPPLEMENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "forges", "comments")

# Fields Capstan's clients read, per operation ("METHOD template" → dotted paths, [] = items).
READS = {
    "github": {
        "GET /repos/{owner}/{repo}/pulls": ["[].number", "[].html_url", "[].title", "[].body", "[].head.ref", "[].head.sha",
                                            "[].base.ref", "[].state", "[].merged_at", "[].merge_commit_sha", "[].draft",
                                            "[].labels.[].name"],
        "POST /repos/{owner}/{repo}/pulls": ["number", "html_url", "title", "body", "head.ref", "head.sha", "base.ref", "state",
                                             "mergeable", "merged", "merged_at", "merge_commit_sha", "draft", "labels.[].name"],
        "GET /repos/{owner}/{repo}/pulls/{pull_number}": ["number", "html_url", "head.sha", "mergeable", "merged", "merge_commit_sha", "state"],
        "PATCH /repos/{owner}/{repo}/pulls/{pull_number}": ["number", "title", "body", "head.sha", "state"],
        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge": ["sha", "merged", "message"],
        "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": ["total_count", "check_runs.[].name", "check_runs.[].status",
                                                                "check_runs.[].conclusion"],
        "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": ["[].name"],
        "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks": ["contexts", "checks.[].context"],
        "GET /repos/{owner}/{repo}/rules/branches/{branch}": ["[].type", "[].parameters.required_status_checks.[].context"],
        "GET /repos/{owner}/{repo}/commits/{ref}/status": ["state", "total_count"],
        "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": ["[].id", "[].body", "[].html_url"],
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": ["id", "html_url"],
        "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": ["html_url"],
    },
    "gitea": {
        "GET /repos/{owner}/{repo}/pulls": ["[].number", "[].html_url", "[].title", "[].body", "[].head.ref", "[].head.sha",
                                            "[].base.ref", "[].state", "[].merged", "[].merge_commit_sha", "[].labels.[].name"],
        "POST /repos/{owner}/{repo}/pulls": ["number", "html_url", "title", "head.ref", "head.sha", "base.ref", "state", "mergeable"],
        "GET /repos/{owner}/{repo}/pulls/{index}": ["number", "head.sha", "mergeable", "merged", "merge_commit_sha", "state"],
        "PATCH /repos/{owner}/{repo}/pulls/{index}": ["number", "title", "body", "head.sha", "state"],
        "POST /repos/{owner}/{repo}/issues/{index}/labels": ["[].name"],
        "GET /repos/{owner}/{repo}/commits/{ref}/statuses": ["[].context", "[].status"],
        "GET /repos/{owner}/{repo}/issues/{index}/comments": ["[].id", "[].body", "[].html_url"],
        "POST /repos/{owner}/{repo}/issues/{index}/comments": ["id", "html_url"],
        "PATCH /repos/{owner}/{repo}/issues/comments/{id}": ["html_url"],
    },
    "bitbucket-cloud": {
        "GET /repositories/{workspace}/{repo_slug}/pullrequests": ["values", "values.[].id", "values.[].title",
                                                                   "values.[].summary", "values.[].state", "values.[].source",
                                                                   "values.[].destination", "values.[].links", "values.[].merge_commit",
                                                                   "values.[].draft"],
        "POST /repositories/{workspace}/{repo_slug}/pullrequests": ["id", "state", "source", "destination", "links"],
        "GET /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}": ["id", "state", "source", "merge_commit", "mergeable"],
        "PUT /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}": ["id", "title", "summary"],
        "POST /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/merge": ["state", "merge_commit"],
        "GET /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/statuses": ["values", "values.[].key",
                                                                                             "values.[].state", "values.[].links"],
        "GET /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments": [
            "values.[].id", "values.[].content.raw", "values.[].deleted", "values.[].links.html.href", "next"],
        "POST /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments": ["id", "links.html.href"],
        "PUT /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments/{comment_id}": ["links.html.href"],
    },
    "bitbucket-datacenter": {
        "GET /api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests": [
            "values", "values.[].id", "values.[].version", "values.[].title", "values.[].description", "values.[].state",
            "values.[].fromRef.displayId", "values.[].fromRef.latestCommit", "values.[].toRef.displayId",
            "values.[].toRef.latestCommit", "values.[].links", "values.[].draft"],
        "POST /api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests": ["id", "version", "state", "fromRef.latestCommit"],
        "GET /api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests/{pullRequestId}": [
            "id", "version", "state", "fromRef.latestCommit", "toRef.latestCommit"],
        "PUT /api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests/{pullRequestId}": ["id", "version", "title", "description"],
        "GET /api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests/{pullRequestId}/merge": [
            "vetoes", "vetoes.[].summaryMessage", "vetoes.[].detailedMessage"],
        "POST /api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests/{pullRequestId}/merge": ["state", "toRef.latestCommit"],
        "GET /api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests/{pullRequestId}/activities": [
            "values.[].action", "values.[].comment.id", "values.[].comment.text", "values.[].comment.version", "isLastPage",
            "nextPageStart"],
        "POST /api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests/{pullRequestId}/comments": ["id", "text", "version"],
    },
    "azure-devops": {
        "GET /{organization}/{project}/_apis/git/repositories/{repositoryId}/pullrequests": [
            "[].pullRequestId", "[].title", "[].description", "[].sourceRefName", "[].targetRefName", "[].status",
            "[].mergeStatus", "[].lastMergeSourceCommit.commitId", "[].lastMergeCommit.commitId", "[].isDraft",
            "[].labels.[].name", "[].repository.webUrl"],
        "POST /{organization}/{project}/_apis/git/repositories/{repositoryId}/pullrequests": ["pullRequestId", "status", "lastMergeSourceCommit.commitId"],
        "GET /{organization}/{project}/_apis/git/repositories/{repositoryId}/pullrequests/{pullRequestId}": [
            "pullRequestId", "status", "mergeStatus", "lastMergeSourceCommit.commitId", "lastMergeCommit.commitId"],
        "PATCH /{organization}/{project}/_apis/git/repositories/{repositoryId}/pullrequests/{pullRequestId}": [
            "pullRequestId", "status", "lastMergeCommit.commitId", "title", "description"],
        "GET /{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads": [
            "[].id", "[].isDeleted", "[].comments.[].id", "[].comments.[].content", "[].comments.[].isDeleted"],
        "POST /{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads": [
            "id", "comments.[].id"],
    },
    "gitlab": {
        "GET /projects/{id}/merge_requests": ["[].iid", "[].web_url", "[].title", "[].description", "[].source_branch",
                                             "[].target_branch", "[].sha", "[].state", "[].merge_commit_sha",
                                             "[].squash_commit_sha", "[].draft", "[].labels", "[].detailed_merge_status",
                                             "[].merge_status"],
        "POST /projects/{id}/merge_requests": ["iid", "web_url", "sha", "state", "labels"],
        "GET /projects/{id}/merge_requests/{merge_request_iid}": ["iid", "sha", "state", "detailed_merge_status",
                                                                  "merge_status", "merge_commit_sha", "squash_commit_sha",
                                                                  "head_pipeline.id", "head_pipeline.sha", "head_pipeline.status"],
        "PUT /projects/{id}/merge_requests/{merge_request_iid}": ["iid", "title", "description", "labels", "sha", "state"],
        "PUT /projects/{id}/merge_requests/{merge_request_iid}/merge": ["state", "merge_commit_sha", "squash_commit_sha", "sha"],
        "GET /projects/{id}/repository/commits/{sha}/statuses": ["[].id", "[].name", "[].status"],
        "GET /users": ["[].id"],
        "GET /projects/{id}": ["archived"],
        "GET /projects/{id}/merge_requests/{merge_request_iid}/notes": ["[].id", "[].body", "[].system"],
        "POST /projects/{id}/merge_requests/{merge_request_iid}/notes": ["id", "body"],
        "PUT /projects/{id}/merge_requests/{merge_request_iid}/notes/{note_id}": ["id"],
    },
}

# Body fields Capstan sends that this (older) description does not declare, each with the
# forge version that documents it. Reported as notes, not problems.
# Operations Capstan uses that the description leaves out, with where they are documented.
# Their traffic is reported as notes and not checked.
OPERATIONS_ELSEWHERE = {
    ("azure-devops", "GET", re.compile(r"/[^/]+/[^/]+/_apis/git/repositories/[^/]+/commits/[0-9a-f]+/statuses$")):
        "Git Statuses - List (learn.microsoft.com/rest/api/azure/devops/git/statuses/list?view=azure-devops-rest-7.1)",
    ("bitbucket-cloud", "GET", re.compile(r".*/repositories/[^/]+/[^/]+/commit/[0-9a-f]+/statuses$")):
        "List commit statuses (developer.atlassian.com/cloud/bitbucket/rest/api-group-commit-statuses/, paginated_commitstatuses)",
    ("bitbucket-datacenter", "GET", re.compile(r".*/build-status/latest/commits/[0-9a-f]+$")):
        "Get build statuses for commit (Bitbucket Data Center REST 9.2, GET /rest/build-status/latest/commits/{commitId}, deprecated)",
    ("azure-devops", "GET", re.compile(r"/[^/]+/[^/]+/_apis/git/repositories/[^/]+/pullRequests/[0-9]+/statuses$")):
        "Pull Request Statuses - List (learn.microsoft.com/rest/api/azure/devops/git/pull-request-statuses/list?view=azure-devops-rest-7.1)",
    ("azure-devops", "GET", re.compile(r"/[^/]+/[^/]+/_apis/policy/evaluations$")):
        "Policy Evaluations - List (learn.microsoft.com/rest/api/azure/devops/policy/evaluations/list?view=azure-devops-rest-7.1)",
}

# Answer fields a real server sends that the description leaves out, with the recorded
# answer that shows them: the test forge may return them too. Reported as notes.
FIELDS_ELSEWHERE = {
    ("bitbucket-datacenter", "response.properties"): "a merged PR's properties.mergeCommit {id, displayId}, as "
        "bitbucket.sgdev.org answered a merge (Tests/Fixtures/forges/recorded/bitbucket-datacenter/merge.json)",
    ("bitbucket-datacenter", "response.values[].properties"): "a merged PR's properties.mergeCommit {id, displayId}, as "
        "bitbucket.sgdev.org answered a merge (Tests/Fixtures/forges/recorded/bitbucket-datacenter/merge.json)",
}

# Query parameters every call of a forge takes, documented once for the whole API.
GLOBAL_QUERY = {
    "azure-devops": {"api-version": "every Azure DevOps REST call takes api-version (7.1 here)"},
    "bitbucket-cloud": {
        "pagelen": "every paginated Bitbucket Cloud list takes pagelen (developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination)",
        "page": "every paginated Bitbucket Cloud list takes page; the `next` URLs it answers carry it (same page)",
    },
}

DOCUMENTED_ELSEWHERE = {
    ("github", "GET /repos/{owner}/{repo}/commits/{ref}/status", "page"):
        "the description says the statuses field paginates past its page (docs.github.com/rest/commits/statuses: "
        "per_page, page); Capstan follows the Link header's next URL, which carries page",
    ("gitea", "POST /repos/{owner}/{repo}/pulls/{index}/merge", "head_commit_id"):
        "Gitea >= 1.18 MergePullRequestForm.head_commit_id (pins the merge to the checked head)",
    ("gitea", "POST /repos/{owner}/{repo}/pulls/{index}/merge", "merge_when_checks_succeed"):
        "Gitea >= 1.17 MergePullRequestForm.merge_when_checks_succeed (schedules the merge for when the checks pass)",
}


class Spec:
    def __init__(self, document):
        self.doc = document
        self.base = document.get("basePath", "")
        # OpenAPI 3 puts no body schema under "*/*"-only content in application/json.
        self.templates = []
        for template in document["paths"]:
            pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template))
            loose = re.sub(r"\\{[^}]+\\}", ".+", re.escape(template))
            self.templates.append((template, re.compile(pattern + "$"), re.compile(loose + "$")))

    def resolve(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            parts = node["$ref"].lstrip("#/").split("/")
            target = self.doc
            for part in parts:
                target = target[part]
            node = target
            seen += 1
        return node

    def find(self, path):
        for template, strict, _ in self.templates:
            if strict.match(path):
                return template
        # A parameter may hold slashes (GitHub's git/refs/{ref} = heads/a/b): the most
        # specific template (the most literal text) that matches wins.
        loose_matches = [t for t, _, loose in self.templates if loose.match(path)]
        return max(loose_matches, key=lambda t: len(re.sub(r"\{[^}]+\}", "", t)), default=None)

    def parameters(self, template, method):
        item = self.doc["paths"][template]
        params = [self.resolve(p) for p in item.get("parameters", []) + item[method].get("parameters", [])]
        return params

    def request_schema(self, template, method):
        operation = self.doc["paths"][template][method]
        if "requestBody" in operation:
            body = self.resolve(operation["requestBody"])
            content = body.get("content", {})
            return self.resolve((content.get("application/json") or content.get("*/*") or {}).get("schema"))
        for param in self.parameters(template, method):
            if param.get("in") == "body":
                return self.resolve(param.get("schema"))
        return None

    def response_schema(self, template, method, status):
        responses = self.doc["paths"][template][method].get("responses", {})
        answer = responses.get(str(status))
        if answer is None:
            return False, None
        answer = self.resolve(answer)
        if "content" in answer:
            return True, self.resolve(answer["content"].get("application/json", {}).get("schema"))
        return True, self.resolve(answer.get("schema"))

    def required(self, schema):
        schema = self.resolve(schema) or {}
        fields = list(schema.get("required", []))
        for part in schema.get("allOf", []):
            fields += self.required(part)
        return fields

    def open_ended(self, schema):
        """additionalProperties: true anywhere in the schema (or its allOf parts) allows any field."""
        schema = self.resolve(schema) or {}
        return schema.get("additionalProperties") is True or any(self.open_ended(p) for p in schema.get("allOf", []))

    def properties(self, schema):
        schema = self.resolve(schema) or {}
        props = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []) + schema.get("anyOf", []) + schema.get("oneOf", []):
            props.update(self.properties(part))
        return props

    def items(self, schema):
        schema = self.resolve(schema) or {}
        return self.resolve(schema.get("items"))

    def undeclared(self, schema, value, where):
        """Fields in `value` the schema does not declare (recursing into objects and arrays)."""
        schema = self.resolve(schema)
        if not schema or value is None:
            return []
        problems = []
        if isinstance(value, list):
            item_schema = self.items(schema)
            for item in value[:3]:
                problems += self.undeclared(item_schema, item, where + "[]")
        elif isinstance(value, dict):
            props = self.properties(schema)
            if not props:
                return []
            for key, child in value.items():
                if key not in props and self.open_ended(schema):
                    continue
                if key not in props:
                    problems.append(f"{where}.{key}")
                else:
                    problems += self.undeclared(props[key], child, f"{where}.{key}")
        return problems

    def declares(self, schema, dotted):
        node = self.resolve(schema)
        for part in dotted.split("."):
            if node is None:
                return False
            if part == "[]":
                node = self.items(node)
                continue
            if part.startswith("[]"):
                node = self.items(node)
                part = part[2:]
            props = self.properties(node)
            if part not in props:
                return False
            node = self.resolve(props[part])
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", required=True)
    parser.add_argument("--specs", required=True)
    parser.add_argument("log")
    args = parser.parse_args()
    document = json.load(open(f"{args.specs}/{args.kind}.json"))
    supplement = os.path.join(SUPPLEMENTS, f"{args.kind}.json")
    if os.path.exists(supplement):
        for template, item in json.load(open(supplement))["paths"].items():
            document["paths"].setdefault(template, {}).update(item)
    spec = Spec(document)
    problems, notes, checked = [], set(), 0
    operations = set()
    for number, line in enumerate(open(args.log), 1):
        entry = json.loads(line)
        method, path = entry["method"].lower(), entry["path"]
        where = f"line {number}: {entry['method']} {path}"
        elsewhere = [note for (kind, verb, pattern), note in OPERATIONS_ELSEWHERE.items()
                     if kind == args.kind and verb == entry["method"] and pattern.match(path)]
        if elsewhere:
            notes.add(f"{entry['method']} {path.split('/_apis/')[-1] if '/_apis/' in path else path}: not in the description; {elsewhere[0]}")
            continue
        template = spec.find(path)
        if template is None or method not in spec.doc["paths"][template]:
            problems.append(f"{where}: no such operation in the {args.kind} description")
            continue
        operation = f"{entry['method']} {template}"
        operations.add(operation)
        checked += 1
        params = spec.parameters(template, method)
        declared_query = {p["name"] for p in params if p.get("in") == "query"}
        for name in entry["query"]:
            if name in GLOBAL_QUERY.get(args.kind, {}):
                notes.add(f"query parameter {name!r}: {GLOBAL_QUERY[args.kind][name]}")
                continue
            if name not in declared_query:
                reason = DOCUMENTED_ELSEWHERE.get((args.kind, operation, name))
                if reason:
                    notes.add(f"{operation}: query parameter {name!r}: {reason}")
                    continue
                problems.append(f"{where}: query parameter {name!r} is not declared")
        for param in params:
            if param.get("in") == "query" and param.get("required") and param["name"] not in entry["query"]:
                problems.append(f"{where}: required query parameter {param['name']!r} missing")
        body_schema = spec.request_schema(template, method)
        if entry["body"]:
            if body_schema is None:
                problems.append(f"{where}: sends a body the operation does not take")
            else:
                props = spec.properties(body_schema)
                for field in spec.required(body_schema):
                    if field not in entry["body"]:
                        problems.append(f"{where}: required body field {field!r} missing")
                for field in entry["body"]:
                    if field not in props and not spec.open_ended(body_schema):
                        reason = DOCUMENTED_ELSEWHERE.get((args.kind, operation, field))
                        if reason:
                            notes.add(f"{operation}: body field {field!r}: {reason}")
                        else:
                            problems.append(f"{where}: body field {field!r} is not declared")
        if entry.get("injected"):
            continue
        documented, response_schema = spec.response_schema(template, method, entry["status"])
        codes = spec.doc["paths"][template][method].get("responses", {})
        if not documented and entry["status"] >= 400 and not any(c == "default" or c.startswith(("4", "5")) for c in codes):
            notes.add(f"{operation}: the description documents no error answers; the test forge answered {entry['status']}")
            continue
        if not documented:
            problems.append(f"{where}: answered {entry['status']}, which the description does not document")
            continue
        response = entry["response"]
        if args.kind == "azure-devops" and isinstance(response, dict) and "value" in response \
                and (spec.resolve(response_schema) or {}).get("type") == "array":
            # Azure wraps every list in {"count", "value"}; its description gives the bare array.
            notes.add("Azure DevOps lists come as {count, value}; the description gives the array alone")
            response = response["value"]
        if entry["status"] < 300:
            for field in spec.undeclared(response_schema, response, "response"):
                if (args.kind, field) in FIELDS_ELSEWHERE:
                    notes.add(f"{field}: not in the description; {FIELDS_ELSEWHERE[(args.kind, field)]}")
                    continue
                problems.append(f"{where}: the test forge returned {field}, which the schema does not declare")
            # An answer documented without a body (Bitbucket's 202 "poll Location") is not read.
            for dotted in READS[args.kind].get(operation, []) if response_schema is not None else []:
                if not spec.declares(response_schema, dotted):
                    problems.append(f"{where}: the client reads {dotted}, which the schema does not declare")
    for problem in problems:
        print("problem:", problem)
    for note in sorted(notes):
        print("note:", note)
    print(f"checked {checked} requests over {len(operations)} operations against {args.kind}.json: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
