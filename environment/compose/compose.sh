#!/usr/bin/env bash
# compose.sh runs `docker compose` with the Compose CLI plugin pinned by
# environment/compose/go.mod, built on first use, so that docker/compose.yaml
# can be validated on machines whose docker client lacks the plugin:
#
#   environment/compose/compose.sh build            build the plugin (idempotent)
#   environment/compose/compose.sh dir              print the DOCKER_CONFIG dir holding it
#   environment/compose/compose.sh ARGS...          docker compose ARGS..., e.g.
#   environment/compose/compose.sh -f docker/compose.yaml config --quiet
#
# The plugin goes to .bin/docker-config/cli-plugins/docker-compose and the
# docker client finds it through DOCKER_CONFIG=.bin/docker-config, so
# nothing outside the checkout is touched (~/.docker is not read or
# written). The build is keyed on a hash of go.mod, go.sum, this script and the Go
# version (stamp file): a second run costs nothing. Go's module and build
# caches are the only things used outside the checkout.
#
# `go install github.com/docker/compose/v2/cmd@v2.40.3` is not used: it reads
# the module's version list, which some proxies refuse; a tools module pins
# the exact versions and `go build` needs no list (as environment/tools).
#
# Environment: GO (default go), DOCKER (default docker).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/environment/compose"
GO="${GO:-go}"
DOCKER="${DOCKER:-docker}"
CONFIG_DIR="$ROOT/.bin/docker-config"
PLUGIN="$CONFIG_DIR/cli-plugins/docker-compose"
STAMP="$CONFIG_DIR/.compose-stamp"

say() { printf 'compose: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

build() {
	command -v "$GO" >/dev/null 2>&1 || die "Go not found (looked for '$GO'); it builds the Compose plugin."
	local want
	want="$({ cat "$HERE/go.mod" "$HERE/go.sum" "$HERE/compose.sh"; "$GO" env GOVERSION; } | sha256sum | cut -c1-16)"
	if [[ -x "$PLUGIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
		return 0
	fi
	local version
	version="$(sed -n 's/^[[:space:]]*github.com\/docker\/compose\/v2 \(v[^ ]*\).*/\1/p' "$HERE/go.mod")"
	say "building the Docker Compose plugin $version into ${PLUGIN#"$ROOT"/} (minutes the first time) ..."
	local start=$SECONDS
	mkdir -p "$(dirname "$PLUGIN")"
	(cd "$HERE" && GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 "$GO" build -trimpath \
		-ldflags "-X github.com/docker/compose/v2/internal.Version=$version" \
		-o "$PLUGIN.tmp" github.com/docker/compose/v2/cmd) ||
		die "building the Compose plugin failed (see above); the Go module proxy must be reachable the first time."
	mv "$PLUGIN.tmp" "$PLUGIN"
	printf '%s\n' "$want" >"$STAMP"
	say "built in $((SECONDS - start)) s"
}

case "${1:-}" in
"") die "usage: $0 build | dir | COMPOSE-ARGS..." ;;
build) build ;;
dir)
	build
	printf '%s\n' "$CONFIG_DIR"
	;;
*)
	command -v "$DOCKER" >/dev/null 2>&1 || die "the docker client ('$DOCKER') is not installed."
	build
	DOCKER_CONFIG="$CONFIG_DIR" exec "$DOCKER" compose "$@"
	;;
esac
