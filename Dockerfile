# The Capstan container image: the release binary (scripts/build-release) on Debian 12 slim
# with only the shared libraries it asks for (scripts/runtime-libraries.txt). This is the
# image the GitLab, Bitbucket, Azure, Gitea, Tekton and Argo examples in examples/ci run in
# (published there as registry.example.com/tools/capstan).
#
#   docker build --build-arg CAPSTAN_BUILD_COMMIT=$(git rev-parse HEAD) -t capstan .
#
# No ENTRYPOINT: CI systems run their scripts with the image's shell, so `capstan …` is a
# command in the script, as in the examples.
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY scripts/setup scripts/setup
RUN scripts/setup --build
COPY . .
ARG CAPSTAN_BUILD_COMMIT=unknown
RUN CAPSTAN_BUILD_COMMIT="$CAPSTAN_BUILD_COMMIT" scripts/build-release

FROM debian:12-slim
COPY scripts/runtime-libraries.txt /tmp/runtime-libraries.txt
# ca-certificates for HTTPS; jq because the Bitbucket and Azure examples hand the PR number
# between steps from `--output json` (GitLab's use CAPSTAN_DOTENV instead).
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates jq \
      $(awk '!/^#/ && NF { print $2 }' /tmp/runtime-libraries.txt | sort -u) \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-libraries.txt
COPY --from=build /src/dist/capstan-linux-* /usr/local/bin/capstan
RUN capstan version
CMD ["capstan"]
