#!/usr/bin/env bash
# Set up the one virtualenv `make demo` needs, .venvs/demo, from the python3 on PATH (3.9 or
# newer): ansible-core, the newest release that supports that Python, and requests, at the
# versions frozen in scripts/demo-requirements.txt. No pyenv, no development tools. The venv is
# rebuilt only when the interpreter or that file changes (a stamp file records what it was built
# from). Nothing is written outside the checkout: pip runs without its cache and keeps its
# temporary files under build/demo/.
#
# Usage: scripts/demo_venv.sh      then run scripts/demo.sh with PYTHON=.venvs/demo/bin/python
# Environment:
#   DEMO_PYTHON  the interpreter to build the venv from (default: python3 on PATH)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
venv=$root/.venvs/demo
requirements=$root/scripts/demo-requirements.txt
python=${DEMO_PYTHON:-python3}

fail() { echo "make demo: $*" >&2; exit 1; }

path=$(command -v "$python" 2>/dev/null) \
    || fail "$python not found on PATH: the demo needs Python 3.9 or newer as python3 (for example: apt install python3 python3-venv)"
version=$("$path" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) \
    || fail "$path does not run: the demo needs a working Python 3.9 or newer as python3"
"$path" -c 'import sys; sys.exit(sys.version_info < (3, 9))' \
    || fail "$path is Python $version: the demo needs Python 3.9 or newer as python3"
"$path" -c 'import ensurepip, venv' >/dev/null 2>&1 \
    || fail "$path (Python $version) cannot create virtualenvs: install its venv module (for example: apt install python$version-venv)"

mkdir -p "$root/build/demo" "$root/.venvs"
# One set-up at a time: a second `make demo` waits instead of building over the first one.
if command -v flock >/dev/null 2>&1; then
    exec 8> "$root/build/demo/.lock"
    flock 8
fi

want=$("$path" -c 'import hashlib, sys
print(hashlib.sha256(open(sys.argv[1], "rb").read() + (sys.executable + sys.version).encode()).hexdigest()[:16])' "$requirements")
stamp=$venv/.demo-stamp
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c 'import ansible, requests' 2>/dev/null; then
    echo ".venvs/demo: up to date (Python $version, $("$venv/bin/python" -c 'from ansible.release import __version__; print("ansible-core", __version__)'))"
    exit 0
fi

echo ".venvs/demo: installing ansible-core and requests for Python $version ($path); this takes a minute"
# venv (ensurepip) and pip unpack into TMPDIR: keep that in the checkout too.
TMPDIR=$(mktemp -d "$root/build/demo/setup.XXXXXX")
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
rm -rf "$venv"
"$path" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check \
    --no-warn-script-location -r "$requirements" \
    || fail "pip could not install scripts/demo-requirements.txt into .venvs/demo (see above)"
"$venv/bin/python" -m pip check --no-cache-dir --disable-pip-version-check >/dev/null \
    || fail "the packages in .venvs/demo do not fit together: $("$venv/bin/python" -m pip check --disable-pip-version-check 2>&1 | head -n 1)"
echo "$want" > "$stamp"
echo ".venvs/demo: ready ($("$venv/bin/python" -c 'from ansible.release import __version__; print("ansible-core", __version__)'), $("$venv/bin/python" -c 'import requests; print("requests", requests.__version__)'))"
