#!/usr/bin/env bash
# The Event-Driven Ansible tests of exotel.trunking (tests/eda/): the event source plugins against
# a fake HTTP server, ansible-rulebook driving the failover rulebook against the emulator and a
# fake bot, and the Controller credential type through ansible-runner.
#
# Usage: scripts/eda_tests.sh [--setup] [PYTEST ARGS...]
#   --setup   only build (or update) the virtualenv
#   PYTEST ARGS are passed on; without a path under tests/ they apply to all of tests/eda, e.g.
#   scripts/eda_tests.sh -k e2e   or   scripts/eda_tests.sh tests/eda/test_failover_e2e.py -s
# Environment:
#   EDA_VENV    the virtualenv (default: build/venv-eda), built with Python 3.12 from
#               tests/eda/requirements.txt and rebuilt when that file or the interpreter changes
#   EDA_PYTHON  the Python 3.12 to build it with (default: pyenv's newest 3.12, else python3.12)
# Needs a Java 17 runtime for ansible-rulebook (java on PATH, or JAVA_HOME).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
VENV=${EDA_VENV:-$ROOT/build/venv-eda}
REQUIREMENTS=$ROOT/tests/eda/requirements.txt
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 ANSIBLE_NOCOLOR=1
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS PYENV_VERSION

find_python() {
    local root candidate=""
    if [ -n "${EDA_PYTHON:-}" ]; then echo "$EDA_PYTHON"; return; fi
    if root=$(pyenv root 2>/dev/null) && [ -d "$root/versions" ]; then
        candidate=$(printf '%s\n' "$root"/versions/3.12.*/bin/python3.12 | sort -V | tail -n 1)
        [ -x "$candidate" ] || candidate=""
    fi
    if [ -z "$candidate" ]; then
        candidate=$(command -v python3.12 2>/dev/null) || candidate=""
        case $candidate in */shims/*) candidate="" ;; esac
    fi
    [ -n "$candidate" ] || { echo "Python 3.12 is needed for ansible-core 2.21 (pyenv install 3.12 or apt install python3.12)" >&2; return 1; }
    echo "$candidate"
}

setup() {
    local python want stamp
    python=$(find_python)
    want=$(cat "$REQUIREMENTS" <("$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)
    stamp=$VENV/.eda-stamp
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
        return 0
    fi
    echo "setting up $VENV from tests/eda/requirements.txt with $python"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --no-warn-script-location -r "$REQUIREMENTS"
    "$VENV/bin/python" -m pip check
    echo "$want" > "$stamp"
}

setup
if [ "${1:-}" = --setup ]; then exit 0; fi
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
    echo "ansible-rulebook needs a Java 17 runtime: install one (apt install openjdk-17-jre-headless) or set JAVA_HOME" >&2
    exit 1
fi
cd "$ROOT"
# ansible-rulebook finds ansible-galaxy and ansible-playbook on PATH.
targets=(tests/eda)
for arg in "$@"; do
    case $arg in tests/*) targets=() ;; esac
done
PATH="$VENV/bin:$PATH" exec "$VENV/bin/python" -m pytest -p no:cacheprovider -q "${targets[@]}" "$@"
