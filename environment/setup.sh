#!/usr/bin/env bash
# setup.sh installs everything rivulet needs to run its notebooks, inside the
# checkout only (plus the usual Go and pip caches):
#
#   .venv/     Python venv with Jupyter, pinned by environment/requirements.txt
#              (and, with --lab, JupyterLab from requirements-lab.txt)
#   .bin/      gonb and goimports, pinned by environment/tools/go.mod
#   .jupyter/  JUPYTER_DATA_DIR holding the GoNB kernelspec (and runtime files)
#
# It is the single source of truth for machine setup: `make setup` calls it
# and so will the Dockerfile. Each step is keyed on a hash of its inputs
# (stamp files), so a second run changes nothing and takes about a second.
#
# Outside the checkout it only uses caches: Go's module and build caches, and
# a wheelhouse of the pinned Python packages (RIVULET_WHEELS, default
# ~/.cache/rivulet/wheels).
#
# Environment: GO (default go), PYTHON (default python3),
# WITH_GOPLS=1 also installs gopls (auto-complete in JupyterLab; ~2 min).
set -euo pipefail

TIER=core
case "${1:-}" in
"") ;;
--lab) TIER=lab ;;
*) echo "usage: $0 [--lab]" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GO="${GO:-go}"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
BIN="$ROOT/.bin"
JUPYTER_DATA_DIR="$ROOT/.jupyter"
ENVDIR="$ROOT/environment"
WHEELS="${RIVULET_WHEELS:-${XDG_CACHE_HOME:-$HOME/.cache}/rivulet/wheels}"

GO_MIN_MINOR=26     # Go 1.26: go.mod says go 1.26.0 and kfake needs it.
PY_MIN_MINOR=11     # Python 3.11: see requirements.txt.
GONB_FLAGS=(--raw_error --force_deps --logtostderr=false "--log_dir=$JUPYTER_DATA_DIR/logs")
GOPLS_VERSION=v0.23.0   # newest gopls that builds with Go 1.26.

step() { printf 'setup: %-16s %s\n' "$1" "$2"; }
die() {
	printf 'setup: ERROR: %s\n' "$1" >&2
	shift
	for line in "$@"; do printf '       %s\n' "$line" >&2; done
	exit 1
}
# fingerprint prints a short hash of its arguments' file contents and strings.
fingerprint() {
	local a
	for a in "$@"; do
		if [[ -f "$a" ]]; then cat "$a"; else printf '%s\n' "$a"; fi
	done | sha256sum | cut -c1-16
}
stamp_ok() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

# --- Go ----------------------------------------------------------------------
command -v "$GO" >/dev/null 2>&1 ||
	die "Go not found (looked for '$GO')." \
		"Install Go >= 1.$GO_MIN_MINOR from https://go.dev/dl/ and put its bin/ on PATH."
GOVERSION="$("$GO" env GOVERSION)"
go_minor="$(sed -E 's/^go1\.([0-9]+).*/\1/' <<<"$GOVERSION")"
[[ "$go_minor" =~ ^[0-9]+$ && "$go_minor" -ge "$GO_MIN_MINOR" ]] ||
	die "$GOVERSION is too old: rivulet needs Go >= 1.$GO_MIN_MINOR (https://go.dev/dl/)."
step go "$GOVERSION ($(command -v "$GO"))"

# --- Python ------------------------------------------------------------------
command -v "$PYTHON" >/dev/null 2>&1 ||
	die "$PYTHON not found." \
		"Install Python >= 3.$PY_MIN_MINOR with its venv module," \
		"e.g. on Debian/Ubuntu: apt-get install python3 python3-venv"
PYVERSION="$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
py_minor="$(cut -d. -f2 <<<"$PYVERSION")"
[[ "$(cut -d. -f1 <<<"$PYVERSION")" == 3 && "$py_minor" -ge "$PY_MIN_MINOR" ]] ||
	die "Python $PYVERSION is too old: rivulet needs Python >= 3.$PY_MIN_MINOR (set PYTHON=/path/to/python3.x)."
# Debian splits ensurepip out of python3; without it `python3 -m venv` fails.
"$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 ||
	die "Python $PYVERSION has no working venv module." \
		"On Debian/Ubuntu: apt-get install python3-venv (or python3.$py_minor-venv)."
step python "$PYVERSION ($(command -v "$PYTHON"))"

# --- .venv: Jupyter ----------------------------------------------------------
# Two tiers: "core" (requirements.txt: run notebooks headless) for make
# run/test and CI, "lab" (requirements-lab.txt on top: JupyterLab) for make
# lab. The stamp records the tier and a hash of its pins; a lab venv also
# satisfies core.
core_want="core $(fingerprint "$ENVDIR/requirements.txt" "$PYVERSION" "$VENV")"
lab_want="lab $(fingerprint "$ENVDIR/requirements.txt" "$ENVDIR/requirements-lab.txt" "$PYVERSION" "$VENV")"
have="$(cat "$VENV/.rivulet-stamp" 2>/dev/null || true)"
pip=("$VENV/bin/python" -m pip --disable-pip-version-check)

# pip_install FILE installs the pins of FILE from a wheelhouse kept in the
# user's cache, downloading into it only when something is missing: pip's
# own cache is not always usable (some registry mirrors mark every file
# uncacheable), and a second clone then needs no network at all.
pip_install() {
	mkdir -p "$WHEELS"
	if ! "${pip[@]}" install --quiet --no-index --find-links "$WHEELS" -r "$1" >/dev/null 2>&1; then
		step venv "downloading wheels into $WHEELS ..."
		"${pip[@]}" download --quiet --dest "$WHEELS" -r "$1" ||
			die "pip download failed (see above): PyPI must be reachable for the first setup."
		"${pip[@]}" install --quiet --no-index --find-links "$WHEELS" -r "$1" ||
			die "pip install failed (see above)."
	fi
}

if [[ "$have" == "$lab_want" || ("$TIER" == core && "$have" == "$core_want") ]] && [[ -x "$VENV/bin/jupyter" ]]; then
	step venv "up to date (${have%% *}: $VENV)"
else
	start=$SECONDS
	if [[ "$TIER" == lab && "$have" == "$core_want" && -x "$VENV/bin/jupyter" ]]; then
		step venv "adding JupyterLab (environment/requirements-lab.txt) ..."
	else
		# A fresh venv whenever the pins change: pip never removes packages,
		# and an exact environment is worth the minute this costs.
		step venv "creating $VENV from environment/requirements.txt ..."
		rm -rf "$VENV"
		"$PYTHON" -m venv "$VENV"
		pip_install "$ENVDIR/requirements.txt"
		printf '%s\n' "$core_want" >"$VENV/.rivulet-stamp"
	fi
	if [[ "$TIER" == lab ]]; then
		pip_install "$ENVDIR/requirements-lab.txt"
		printf '%s\n' "$lab_want" >"$VENV/.rivulet-stamp"
	fi
	step venv "$TIER set installed in $((SECONDS - start)) s"
fi

# --- .bin: gonb, goimports ---------------------------------------------------
# `go install github.com/janpfeifer/gonb@v0.11.4` cannot be used: it reads the
# module's version list, which some proxies refuse. A tools module pins the
# exact versions and `go build` needs no version list.
want="$(fingerprint "$ENVDIR/tools/go.mod" "$ENVDIR/tools/go.sum" "$GOVERSION" "$BIN")"
if stamp_ok "$BIN/.tools-stamp" "$want" && [[ -x "$BIN/gonb" && -x "$BIN/goimports" ]]; then
	step go-tools "up to date ($BIN: gonb, goimports)"
else
	step go-tools "building gonb and goimports into $BIN ..."
	start=$SECONDS
	mkdir -p "$BIN"
	(cd "$ENVDIR/tools" && GOWORK=off GOFLAGS=-mod=readonly "$GO" build -o "$BIN/" \
		github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports) ||
		die "building the Go tools failed (see above)."
	printf '%s\n' "$want" >"$BIN/.tools-stamp"
	step go-tools "built in $((SECONDS - start)) s"
fi

if [[ "${WITH_GOPLS:-0}" == 1 ]]; then
	if [[ -x "$BIN/gopls" ]]; then
		step gopls "present"
	else
		step gopls "installing gopls@$GOPLS_VERSION into $BIN ..."
		GOBIN="$BIN" GOWORK=off "$GO" install "golang.org/x/tools/gopls@$GOPLS_VERSION"
	fi
fi

# --- .jupyter: GoNB kernelspec -----------------------------------------------
# kernel.json stores the absolute path of .bin/gonb and the flags, so the
# stamp covers the binary, the flags and where the checkout lives.
KERNEL_DIR="$JUPYTER_DATA_DIR/kernels/gonb"
want="$(fingerprint "$BIN/.tools-stamp" "${GONB_FLAGS[*]}" "$KERNEL_DIR")"
if stamp_ok "$KERNEL_DIR/.rivulet-stamp" "$want" && [[ -f "$KERNEL_DIR/kernel.json" ]]; then
	step kernel "up to date ($KERNEL_DIR)"
else
	mkdir -p "$JUPYTER_DATA_DIR/logs"
	# gonb writes into $JUPYTER_DATA_DIR/kernels/gonb; it needs goimports on PATH.
	PATH="$BIN:$PATH" JUPYTER_DATA_DIR="$JUPYTER_DATA_DIR" "$BIN/gonb" --install "${GONB_FLAGS[@]}" \
		>"$JUPYTER_DATA_DIR/logs/install.log" 2>&1 ||
		die "gonb --install failed:" "$(tail -5 "$JUPYTER_DATA_DIR/logs/install.log")"
	[[ -f "$KERNEL_DIR/kernel.json" ]] ||
		die "gonb --install did not write $KERNEL_DIR/kernel.json (see $JUPYTER_DATA_DIR/logs/install.log)."
	printf '%s\n' "$want" >"$KERNEL_DIR/.rivulet-stamp"
	step kernel "GoNB kernel registered in $KERNEL_DIR"
fi

step done "environment ready (run notebooks: make run; tests: make test)"
