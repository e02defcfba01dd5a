#!/usr/bin/env bash
# Lock requirements/*.in into requirements/*.txt with `uv pip compile` (`make lock`).
#
# Usage: scripts/lock.sh [uv pip compile options]     for example --upgrade, or --upgrade-package ruff
#
# Every virtualenv of `make test` runs on Python 3.12, so every lock is resolved for it. Without
# options uv keeps the versions already in a lock file and only adds or drops what the .in file
# changed; --upgrade moves everything to the newest release, --upgrade-package NAME one package.
# Files whose name starts with `_` are shared pieces (included with -r), not locked on their own.
# uv comes from .venvs/nox (requirements/nox.in); UV=/path/to/uv picks another one.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
uv=${UV:-$root/.venvs/nox/bin/uv}
[ -x "$uv" ] || { echo "uv not found at $uv: run \`make nox\` first (or set UV)" >&2; exit 1; }
cd "$root/requirements"
for in in *.in; do
    case "$in" in _*) continue ;; esac
    "$uv" pip compile --quiet --python-version 3.12 --annotation-style line --no-emit-index-url \
        --custom-compile-command 'make lock' "$@" "$in" -o "${in%.in}.txt"
    echo "requirements/${in%.in}.txt: $(grep -c '==' "${in%.in}.txt") pins"
done
