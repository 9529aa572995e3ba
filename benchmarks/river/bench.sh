#!/usr/bin/env bash
# make bench-river: time River and rivulet on the same records in one go,
# then print both sets of tables and the speed-ups.
#
# Environment (defaults in brackets):
#   DATA     svmlight file [../shared/data/malicious-url/sample-2000.svm]
#   N        records trained on; 2N are read [1000]
#   MODELS   comma-separated [hat,srp-hat,srp-nb,arf]
#   METHOD   rivulet, original or both [both]
#   RIVER_REPETITIONS, REPETITIONS   timed repetitions of River [1] and rivulet [3]
#   PYTHON   interpreter that creates the venv [python3]
#
# River runs in benchmarks/river/.venv, created (or re-created when
# requirements.txt changes) from requirements.txt. Results go to
# benchmarks/river/results/: river.json, rivulet.json and compare.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

DATA=${DATA:-../shared/data/malicious-url/sample-2000.svm}
N=${N:-1000}
MODELS=${MODELS:-hat,srp-hat,srp-nb,arf}
METHOD=${METHOD:-both}
RIVER_REPETITIONS=${RIVER_REPETITIONS:-1}
REPETITIONS=${REPETITIONS:-3}
PYTHON=${PYTHON:-python3}
GO=${GO:-go}
venv=$here/.venv
results=$here/results

if [ ! -f "$DATA" ]; then
	echo "bench-river: $DATA not found (the MaliciousURL excerpt lives outside the repository; set DATA=FILE)" >&2
	exit 1
fi

# The venv is rebuilt only when requirements.txt changed since it was made.
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
	echo "bench-river: creating $venv from requirements.txt" >&2
	rm -rf "$venv"
	"$PYTHON" -m venv "$venv"
	"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
	echo "$want" >"$venv/.requirements.sha256"
fi

mkdir -p "$results"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
"$GO" build -o "$bin/rivulet" ./cmd/rivulet

echo "bench-river: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown), $(nproc 2>/dev/null || echo '?') cores" >&2
echo "bench-river: River ($("$venv/bin/python" -c 'import river; print(river.__version__)')) on $DATA, n=$N, models $MODELS, method $METHOD; this takes minutes" >&2
"$venv/bin/python" "$here/river_throughput.py" --data "$DATA" --n "$N" --models "$MODELS" \
	--method "$METHOD" --repetitions "$RIVER_REPETITIONS" --out "$results/river.json"

echo "bench-river: rivulet on the same records" >&2
"$bin/rivulet" throughput --data "$DATA" --n "$N" --models "$MODELS" --method "$METHOD" \
	--repetitions "$REPETITIONS" --out "$results/rivulet.json" --river "$results/river.json" |
	tee "$results/compare.md"
echo "bench-river: load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown); results in $results/" >&2
