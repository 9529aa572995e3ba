#!/usr/bin/env bash
# with-broker.sh runs a command with rivulet's embedded Kafka broker running
# beside it, and stops the broker afterwards, also when the command fails or
# is interrupted:
#
#   environment/with-broker.sh COMMAND [ARG...]
#
# The broker (.bin/rivulet broker) listens on $BROKER_ADDR (default
# 127.0.0.1:9092) and keeps its data in $BROKER_DATA_DIR (default
# .rivulet/broker). The command gets RIVULET_BROKERS=$BROKER_ADDR; notebooks
# and the CLI read it. The command's exit status is the script's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RIVULET="${RIVULET:-$ROOT/.bin/rivulet}"
BROKER_ADDR="${BROKER_ADDR:-127.0.0.1:9092}"
BROKER_DATA_DIR="${BROKER_DATA_DIR:-$ROOT/.rivulet/broker}"
LOG="$ROOT/.rivulet/broker.log"

say() { printf 'broker: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[[ $# -gt 0 ]] || die "usage: $0 COMMAND [ARG...]"
[[ -x "$RIVULET" ]] || die "$RIVULET not built (make builds it: go build -o .bin/rivulet ./cmd/rivulet)"

host="${BROKER_ADDR%:*}"
port="${BROKER_ADDR##*:}"
# Refuse a port that is taken before starting, with a message that says what
# to do; the broker would fail too, less helpfully.
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
	die "$BROKER_ADDR is already in use (another broker? \`make run\` left running?).
        Stop that process, or choose another port: make run BROKER_ADDR=127.0.0.1:9093"
fi

mkdir -p "$BROKER_DATA_DIR" "$(dirname "$LOG")"
"$RIVULET" broker --addr "$BROKER_ADDR" --data-dir "$BROKER_DATA_DIR" >"$LOG" 2>&1 &
broker_pid=$!

stop_broker() {
	if kill -0 "$broker_pid" 2>/dev/null; then
		kill -TERM "$broker_pid" 2>/dev/null || true
		# Give it time to flush its data dir, then insist.
		for _ in $(seq 50); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$broker_pid" 2>/dev/null || true
		wait "$broker_pid" 2>/dev/null || true
		say "stopped"
	fi
}
trap stop_broker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Wait for the broker's "listening on HOST:PORT" line.
for _ in $(seq 300); do
	if grep -q '^listening on ' "$LOG" 2>/dev/null; then break; fi
	if ! kill -0 "$broker_pid" 2>/dev/null; then
		wait "$broker_pid" 2>/dev/null || true
		die "the broker exited before listening on $BROKER_ADDR:
$(sed 's/^/        /' "$LOG")"
	fi
	sleep 0.1
done
grep -q '^listening on ' "$LOG" || die "the broker did not listen within 30 s (log: $LOG)"
say "$(grep -m1 '^listening on ' "$LOG") (data in ${BROKER_DATA_DIR#"$ROOT"/}, log in ${LOG#"$ROOT"/})"

export RIVULET_BROKERS="$BROKER_ADDR"
set +e
"$@"
status=$?
set -e
exit "$status"
