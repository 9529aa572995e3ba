#!/usr/bin/env bash
# kcat.sh makes sure kcat (the librdkafka command-line client, Debian package
# kcat 1.7.1) is installed. The kcat tests use it as a Kafka client that is
# independent of Go; without it they are skipped, so this is best effort:
#
#   environment/kcat.sh
#
# - kcat present: prints its version and exits at once.
# - absent, running as root with apt-get: installs it (apt-get update only if
#   the first attempt fails, e.g. stale package lists).
# - otherwise, or if the installation fails: says why and how to install it,
#   and still exits 0 so that `make setup` goes on.
set -uo pipefail

say() { printf 'kcat: %s\n' "$*" >&2; }

version() { kcat -V 2>/dev/null | grep -m1 -o "Version [^ ]*"; }

if command -v kcat >/dev/null 2>&1; then
	say "present ($(version))"
	exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
	say "not installed, and installing needs root; kcat tests will be skipped (install with: sudo apt-get install kcat)"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	say "not installed, and there is no apt-get here; kcat tests will be skipped (install kcat 1.7+ with your package manager)"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
install() { apt-get install -y -q --no-install-recommends kcat >/dev/null; }
say "installing with apt-get"
if ! install; then
	say "first attempt failed; running apt-get update and retrying"
	if ! { apt-get update -q >/dev/null && install; }; then
		say "installation failed; kcat tests will be skipped (try: apt-get update && apt-get install kcat)"
		exit 0
	fi
fi
say "installed ($(version))"
