#!/usr/bin/env bash
# Re-freeze requirements-dev.txt after changing a version in its first block.
#
# Usage: scripts/update_requirements.sh
#
# requirements-dev.txt has two blocks: the tools `make test` asks for by name, pinned by hand,
# and below the "# --- everything the tools above pull in (frozen) ---" line, every package
# they pull in, frozen. This script keeps the header and the first block, builds the three
# virtualenvs of noxfile.py (scripts/ansible_test_env.py) and .venvs/nox afresh in a temporary
# directory from requirements-core.txt, requirements-tools.txt and requirements-nox.txt with only the first block as constraints, and rewrites the second block
# from `pip freeze`. A package frozen at different versions on Python 3.11 (ansible-core 2.16) and
# Python 3.12 (ansible-core 2.21) gets one line per Python with a marker. Run `make test` after.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
marker='# --- everything the tools above pull in (frozen) ---'
tmp=$(mktemp -d "${TMPDIR:-/tmp}/update-requirements.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

grep -q -x -- "$marker" "$root/requirements-dev.txt" || { echo "no '$marker' line in requirements-dev.txt" >&2; exit 1; }
sed "/^$marker\$/,\$d" "$root/requirements-dev.txt" > "$tmp/head.txt"
grep -v '^#' "$tmp/head.txt" | grep . > "$tmp/top.txt"

python_for() {
    local v=$1 p
    p=$(printf '%s\n' "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin/python"$v" | sort -V | tail -n 1)
    [ -x "$p" ] || p=$(command -v "python$v") || { echo "Python $v is needed" >&2; exit 1; }
    echo "$p"
}
# venv NAME PYTHON REQUIREMENTS [extra constraints file]
freeze() {
    local name=$1 python=$2 requirements=$3 extra=${4:-}
    grep -v '^-c ' "$root/$requirements" | sed "s|^-r |-r $root/|" > "$tmp/$name.in"
    "$python" -m venv "$tmp/$name"
    "$tmp/$name/bin/python" -m pip install --quiet -r "$tmp/$name.in" -c "$tmp/top.txt" ${extra:+-c "$extra"}
    "$tmp/$name/bin/python" -m pip freeze > "$tmp/$name.txt"
    echo "froze $name: $(wc -l < "$tmp/$name.txt") packages"
}
freeze tools "$(python_for 3.12)" requirements-tools.txt
freeze core221 "$(python_for 3.12)" requirements-core.txt "$tmp/tools.txt"
freeze core216 "$(python_for 3.11)" requirements-core.txt
freeze nox "$(python_for 3.11)" requirements-nox.txt

python3 - "$tmp" > "$tmp/rest.txt" <<'EOF'
import re
import sys

tmp = sys.argv[1]


def read(name):
    pins = {}
    for line in open(f'{tmp}/{name}.txt', encoding='utf-8'):
        line = line.strip()
        if '==' in line and not line.startswith('#'):
            package, version = line.split('==', 1)
            pins[re.sub(r'[-_.]+', '-', package).lower()] = version
    return pins


top = set()
for line in open(f'{tmp}/top.txt', encoding='utf-8'):
    top.add(re.sub(r'[-_.]+', '-', re.split(r'[=<>!~; ]', line.strip(), maxsplit=1)[0]).lower())
py312 = read('tools')
py312.update(read('core221'))
py311 = read('core216')
py311.update(read('nox'))
for package in sorted((set(py312) | set(py311)) - top - {'pip', 'setuptools'}):
    old, new = py311.get(package), py312.get(package)
    if old and new and old != new:
        print(f'{package}=={old} ; python_version < "3.12"')
        print(f'{package}=={new} ; python_version >= "3.12"')
    else:
        print(f'{package}=={old or new}')
EOF
{ cat "$tmp/head.txt"; echo "$marker"; cat "$tmp/rest.txt"; } > "$root/requirements-dev.txt"
echo "requirements-dev.txt: $(grep -c '==' "$root/requirements-dev.txt") pins; review with git diff, then run make test"
