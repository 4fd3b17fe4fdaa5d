"""Route tables: each forge module registers its handlers against METHOD + a regular
expression over the API path (after the API prefix and the repository part), in order."""
import re


class Request:
    """One API call as a route sees it: the repository ("OWNER/REPO"), the path after the API
    prefix, the parsed query (name → [values]) and the JSON body."""

    def __init__(self, project, path, query, body):
        self.project, self.path, self.query, self.body = project, path, query, body


class Routes:
    def __init__(self):
        self.table = []

    def add(self, method, pattern, flags=0):
        """Decorator: FUNCTION(request, *groups) answers METHOD requests whose rest matches."""
        def register(function):
            self.table.append((method, re.compile(pattern, flags), function))
            return function
        return register

    def answer(self, method, rest, request, not_found):
        """The (status, body) of the first route that takes the call; NOT_FOUND (the forge's
        ForgeAnswer) is raised when none does."""
        for wanted, pattern, function in self.table:
            match = pattern.fullmatch(rest) if wanted == method else None
            if match:
                return function(request, *match.groups())
        raise not_found
