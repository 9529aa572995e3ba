#!/usr/bin/env bash
# test.sh is `make test` (and so CI): every check, in order, continuing after
# a failure so one run shows everything, then a summary. Exit status 1 if any
# stage failed.
#
#   environment/test.sh [STAGE...]     stages: fmt vet unit notebooks apache
#
# Stages:
#   fmt        gofmt -l lists nothing
#   vet        go vet ./...
#   unit       go test -race on every package except notebooks/
#   notebooks  go test ./notebooks/: executes every notebook headless with the
#              GoNB kernel against an embedded broker (no -race: the kernel
#              compiles cells itself, and a race-instrumented broker in the
#              test process would only slow the notebooks down)
#   apache     the TestApache* tests against a real Apache Kafka broker from
#              environment/kafka/kafka.sh; skipped, saying so, without Java
#              and Maven
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
GO="${GO:-go}"
LOGS="$ROOT/out/test-logs"
APACHE_BROKERS=127.0.0.1:19092 # environment/kafka/server.properties
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

SKIP=77 # a stage's exit status for "not run"; go test uses 1 and 2
declare -a summary=()
failed=0
banner() { printf '\n==> %s\n' "$*"; }
record() { # stage status seconds note
	summary+=("$(printf '  %-10s %-5s %6ss  %s' "$1" "$2" "$3" "$4")")
	[[ "$2" == FAIL ]] && failed=1
	return 0
}
# go_counts LOG prints "N packages ok, N failed" from go test output.
go_counts() {
	local ok fail
	ok=$(grep -c -E '^ok[[:space:]]' "$1")
	fail=$(grep -c -E '^FAIL[[:space:]]' "$1")
	printf '%s packages ok, %s failed' "$ok" "$fail"
}

stage_fmt() {
	banner "gofmt"
	local files bad
	if git rev-parse --git-dir >/dev/null 2>&1; then
		files=$(git ls-files --cached --others --exclude-standard -- '*.go')
	else
		files=$(find . -name '*.go' -not -path './.*' -not -path './out/*')
	fi
	# shellcheck disable=SC2086
	bad=$(gofmt -l $files 2>&1)
	if [[ -n "$bad" ]]; then
		printf 'gofmt: these files need `gofmt -w`:\n%s\n' "$bad"
		return 1
	fi
	echo "gofmt: $(wc -w <<<"$files") files ok"
}

stage_vet() {
	banner "go vet ./..."
	"$GO" vet ./...
}

stage_unit() {
	local pkgs
	pkgs=$("$GO" list ./... | grep -v '/notebooks$') || return 1
	banner "go test -race (every package but notebooks/)"
	# kcat is an independent Kafka client for the broker's interoperability
	# test; installed best effort (apt, as root), the test skips without it.
	"$ROOT/environment/kcat.sh" || true
	# shellcheck disable=SC2086
	# -timeout 5m: package tests take seconds; a hung one must not eat the
	# 20-minute budget of make test (the default is 10 minutes).
	"$GO" test -race -timeout 5m $pkgs 2>&1 | tee "$LOGS/unit.log"
	local status=${PIPESTATUS[0]}
	note="$(go_counts "$LOGS/unit.log")"
	return "$status"
}

stage_notebooks() {
	banner "go test ./notebooks/ (every notebook, headless, embedded broker)"
	# -count=1: the notebooks read lib/ sources through the kernel, which go
	# test's result cache cannot see.
	env -u RIVULET_BROKERS "$GO" test -count=1 -v -timeout 40m ./notebooks/ 2>&1 | tee "$LOGS/notebooks.log"
	local status=${PIPESTATUS[0]}
	note="$(grep -c -E '^    --- PASS: TestNotebooks/' "$LOGS/notebooks.log") notebooks passed, $(grep -c -E '^    --- FAIL: TestNotebooks/' "$LOGS/notebooks.log") failed; HTML in out/notebooks-test/"
	if grep -q -E -- '--- SKIP: TestNotebooks' "$LOGS/notebooks.log"; then
		note="SKIPPED: $(grep -m1 'SKIP:' "$LOGS/notebooks.log" | sed 's/^ *//')"
	fi
	return "$status"
}

stage_apache() {
	banner "Apache Kafka integration tests (TestApache*, TestBrokers*)"
	local kafka="$ROOT/environment/kafka/kafka.sh" pkgs why
	if [[ ! -x "$kafka" ]]; then
		note="SKIPPED: environment/kafka/kafka.sh is missing"
		echo "$note"
		return "$SKIP"
	fi
	if ! why=$("$kafka" available 2>&1); then
		note="SKIPPED: ${why#kafka: }"
		echo "$note"
		return "$SKIP"
	fi
	# Only the packages that have such tests: compiling every test binary
	# again without -race would cost minutes.
	pkgs=$(grep -l -r --include='*_test.go' -E '^func Test(Apache|Brokers)' . | xargs -r -n1 dirname | sort -u | tr '\n' ' ')
	if [[ -z "$pkgs" ]]; then
		note="SKIPPED: no TestApache* tests in the repository"
		echo "$note"
		return "$SKIP"
	fi
	# kafka.sh with: fetch the jars if needed, start the broker on
	# $APACHE_BROKERS, set RIVULET_APACHE_BROKERS, stop it afterwards.
	# shellcheck disable=SC2086
	"$kafka" with "$GO" test -count=1 -run '^Test(Apache|Brokers)' $pkgs 2>&1 | tee "$LOGS/apache.log"
	local status=${PIPESTATUS[0]}
	note="$(go_counts "$LOGS/apache.log") against Apache Kafka on $APACHE_BROKERS"
	if grep -q -E -- '--- SKIP: Test(Apache|Brokers)' "$LOGS/apache.log"; then
		note="$note; some skipped, see out/test-logs/apache.log"
	fi
	return "$status"
}

stages=("$@")
[[ ${#stages[@]} -gt 0 ]] || stages=(fmt vet unit notebooks apache)
total_start=$SECONDS
for s in "${stages[@]}"; do
	if ! declare -F "stage_$s" >/dev/null; then
		echo "test.sh: unknown stage $s (want fmt vet unit notebooks apache)" >&2
		exit 2
	fi
	note=""
	start=$SECONDS
	"stage_$s"
	status=$?
	case $status in
	0) record "$s" ok $((SECONDS - start)) "$note" ;;
	"$SKIP") record "$s" SKIP $((SECONDS - start)) "$note" ;;
	*) record "$s" FAIL $((SECONDS - start)) "${note:-see above}" ;;
	esac
done

printf '\n==> make test summary (%d s, logs in out/test-logs/)\n' $((SECONDS - total_start))
printf '%s\n' "${summary[@]}"
if [[ $failed -ne 0 ]]; then
	echo "make test: FAILED"
else
	echo "make test: all stages passed (SKIP means not run; see the note)"
fi
# Go test packages over every stage this run: the closing line CI reads.
logs=()
for s in "${stages[@]}"; do [[ -f "$LOGS/$s.log" ]] && logs+=("$LOGS/$s.log"); done
if [[ ${#logs[@]} -gt 0 ]]; then
	printf 'packages: %d passed, %d failed\n' \
		"$(cat "${logs[@]}" | grep -c -E '^ok[[:space:]]')" "$(cat "${logs[@]}" | grep -c -E '^FAIL[[:space:]]')"
fi
exit "$failed"
