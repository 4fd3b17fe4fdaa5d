"""The loopback test forge's parts (Tests/Support/test_forge.py is the entry point).

state: the configuration, the PR/comment/status tables and the state file; repos: the bare
repositories and the merges, squashes and rebases done with real git; pulls: the forge-neutral
PR model every forge answers from; router: the route tables; then one module per forge family
(github for GitHub and Gitea/Forgejo, gitlab, bitbucket_cloud, bitbucket_datacenter,
azure_devops), each turning that model into its forge's documented shapes.
"""
