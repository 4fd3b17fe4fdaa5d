#!/usr/bin/env bash
# Puts a `capstan` on the job's PATH for the action's later steps.
#
# A release tag (v1.2.3) downloads that release's binary, capstan-linux-ARCH, and checks it
# against the release's .sha256 before it is ever run (a mismatch fails the step; nothing is
# installed). The binary is built by scripts/build-release on Debian 12 with libgit2 and
# libyaml linked in, so it runs on Ubuntu 22.04 and 24.04 runners as they come. Any other
# ref (a branch, a commit), or a tag without a binary, builds from the action's own source
# with scripts/build-release — in a Debian 12 Swift container when Docker is there, else
# with the runner's Swift.
#
#   CAPSTAN_REF         the action's ref (github.action_ref), or the `version` input
#   CAPSTAN_REPOSITORY  owner/repo of the action (github.action_repository)
#   CAPSTAN_SOURCE      the action's source checkout (the folder above action/)
#   CAPSTAN_RELEASES    where releases are downloaded from (default https://github.com)
#   CAPSTAN_BUILDER     the Swift image to build in (default swift:6.3-bookworm), or
#                       "host" to build with the runner's own Swift even when Docker is there
#   CAPSTAN_INSTALL_DIR where the binary goes (default $RUNNER_TEMP/capstan-bin)
set -euo pipefail
ref=${CAPSTAN_REF:-}
repository=${CAPSTAN_REPOSITORY:-}
source=${CAPSTAN_SOURCE:-$(cd "$(dirname "$0")/.." && pwd)}
releases=${CAPSTAN_RELEASES:-https://github.com}
install_dir=${CAPSTAN_INSTALL_DIR:-${RUNNER_TEMP:-/tmp}/capstan-bin}
arch=$(uname -m)
asset="capstan-linux-$arch"
mkdir -p "$install_dir"

download() {
  local base="$releases/$repository/releases/download/$ref" work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  curl -fsSL --retry 3 -o "$work/$asset" "$base/$asset" || return 1
  curl -fsSL --retry 3 -o "$work/$asset.sha256" "$base/$asset.sha256" || {
    echo "::error::release $ref has $asset but no $asset.sha256; refusing an unchecked binary" >&2
    exit 1
  }
  if ! (cd "$work" && sha256sum --check --status "$asset.sha256"); then
    echo "::error::$asset of release $ref does not match its .sha256; nothing was installed" >&2
    exit 1
  fi
  install -m 0755 "$work/$asset" "$install_dir/capstan"
  echo "capstan: release $ref ($asset, sha256 checked)"
}

build() {
  local commit=${CAPSTAN_BUILD_COMMIT:-$ref}
  # A Docker CLI without a daemon (some self-hosted runners) means: build on the runner.
  if [ "${CAPSTAN_BUILDER:-}" != host ] && docker info >/dev/null 2>&1; then
    echo "capstan: building $ref from source in ${CAPSTAN_BUILDER:-swift:6.3-bookworm}"
    # Root inside (the build installs its -dev packages); what it writes is handed back to
    # the runner's user, so a non-root runner can clean its action directory.
    docker run --rm -v "$source:/src" -w /src -e CAPSTAN_BUILD_COMMIT="$commit" \
      "${CAPSTAN_BUILDER:-swift:6.3-bookworm}" \
      sh -c "scripts/build-release && chown -R $(id -u):$(id -g) .build dist" >&2
  else
    echo "capstan: building $ref from source with the runner's Swift"
    CAPSTAN_BUILD_COMMIT="$commit" "$source/scripts/build-release" >&2
  fi
  install -m 0755 "$source/dist/$asset" "$install_dir/capstan"
}

if [[ $ref =~ ^v[0-9]+(\.[0-9]+)*(-[0-9A-Za-z.]+)?$ ]] && [ -n "$repository" ]; then
  if ! download; then
    # A moving tag (v1) or an architecture without a released binary: say why it is slow.
    echo "::warning::release $ref of $repository has no $asset; building from source (pin a full version, e.g. v0.1.0, to skip this)"
    build
  fi
else
  build
fi
echo "$install_dir" >> "${GITHUB_PATH:-/dev/null}"
"$install_dir/capstan" --version
