#!/usr/bin/env bash
# The release gates of exotel.trunking. `make test` runs them all, and .ci/run runs `make test`.
#
# Usage: scripts/gates.sh [GATE...]   run the named gates (default: all of them)
#        scripts/gates.sh --list      list the gates
#        scripts/gates.sh --setup     only set up the virtualenvs (used by `make venvs`, `docs`, `bench`)
# Environment:
#   GATES_JOBS=2    gates run in two lanes at once (2 cores); GATES_JOBS=1 runs them one by one
#   GATES_DEMO_PATH the PATH of the demo gate's `make demo` (default: the standard system PATH)
#
# Everything it needs it sets up itself, from the versions pinned in requirements-dev.txt:
#   .venvs/core216  Python 3.11 + ansible-core 2.16 (the floor)    .venvs/tools  the linters
#   .venvs/core221  Python 3.12 + ansible-core 2.21 (the newest)
#   build/gates/    copies of the collection, logs (build/gates/logs/GATE.log), built tarball
# Each gate runs on its own fresh copy of the collection (the files git tracks plus untracked
# files that are not ignored) at build/gates/GATE/ansible_collections/exotel/trunking, the layout
# ansible-test and ansible-doc need (the demo gate's at build/gates/demo/clone, a short path).
#
# Output: one line per gate, `PASS <gate> (<seconds>s)` or `FAIL <gate>: <reason> (<seconds>s)`
# (a `SKIP <gate>: <why>` line, counted neither way, for a gate whose subject does not exist yet),
# then, alone on the last line, `N passed, N failed`. Exit status 1 if any gate failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
VENVS=$ROOT/.venvs
WORK=$ROOT/build/gates
LOGS=$WORK/logs
JOBS=${GATES_JOBS:-2}
GATE_TIMEOUT=${GATES_TIMEOUT:-1500}
COLLECTION_PATH=ansible_collections/exotel/trunking

# Oldest Python the modules support (tests/config.yml modules.python_requires); the matrix gates
# compile and import the modules on every Python from here to the newest one ansible-test supports.
MIN_MODULE_PYTHON=3.9
CANDIDATE_PYTHONS="3.9 3.10 3.11 3.12 3.13 3.14"

# The ansible-core versions under test: name, the Python of its venv, its venv.
CORES="2.16 2.21"
core_python() { case $1 in 2.16) echo 3.11 ;; 2.21) echo 3.12 ;; esac; }
core_venv() { case $1 in 2.16) echo "$VENVS/core216" ;; 2.21) echo "$VENVS/core221" ;; esac; }
TOOLS_PYTHON=3.12

ALL_GATES=(sanity-2.16 sanity-2.21 units-2.16 units-2.21 matrix-2.16 matrix-2.21 integration-2.16 integration-2.21 emulator e2e
           demo ansible-lint docs changelog build yamllint ruff action-group)

export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 ANSIBLE_NOCOLOR=1 NO_COLOR=1
unset PYENV_VERSION ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS

now() { date +%s; }
note() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# ---------------------------------------------------------------------------------------------
# Set-up

# The real interpreters, by version, as python3.X symlinks in one directory that goes first on
# PATH. pyenv's shims for versions that pyenv has not activated only print "command not found",
# and ansible-test drops PYENV_VERSION, so it must find the real binaries.
PYDIR=$WORK/pythons
# Where pyenv keeps its interpreters: `pyenv root`, else $PYENV_ROOT, else beside python3's own.
pyenv_versions() {
    local root
    root=$(pyenv root 2>/dev/null) || root=${PYENV_ROOT:-}
    if [ -n "$root" ] && [ -d "$root/versions" ]; then echo "$root/versions"; return; fi
    dirname "$(python3 -c 'import sys; print(sys.base_prefix)' 2>/dev/null || echo /nonexistent/x)"
}
find_python() {
    local v=$1 candidate
    candidate=$(printf '%s\n' "$(pyenv_versions)"/"$v".*/bin/python"$v" | sort -V | tail -n 1)
    [ -x "$candidate" ] || candidate=
    if [ -z "$candidate" ]; then
        candidate=$(command -v "python$v" 2>/dev/null) || candidate=
        case $candidate in */shims/*) candidate= ;; esac
    fi
    [ -n "$candidate" ] && "$candidate" -c 'import sys' >/dev/null 2>&1 || return 1
    echo "$candidate"
}
setup_pythons() {
    rm -rf "$PYDIR" && mkdir -p "$PYDIR"
    local v p
    for v in $CANDIDATE_PYTHONS; do
        if p=$(find_python "$v"); then ln -s "$p" "$PYDIR/python$v"; fi
    done
    echo "pythons: $(cd "$PYDIR" && shopt -s nullglob && set -- python* && printf '%s\n' "${@:-none}" | sort -V | tr '\n' ' ')"
}
have_python() { [ -x "$PYDIR/python$1" ]; }
# Every interpreter a venv needs, checked before any venv is built: for each missing one, one line
# that says which, what for, and how to provide it.
check_pythons() {
    local v core uses missing=0
    for v in $( (for core in $CORES; do core_python "$core"; done; echo "$TOOLS_PYTHON") | sort -u -V); do
        have_python "$v" && continue
        uses=""
        for core in $CORES; do
            [ "$(core_python "$core")" = "$v" ] && uses="${uses:+$uses and }ansible-core $core (.venvs/$(basename "$(core_venv "$core")"))"
        done
        [ "$TOOLS_PYTHON" = "$v" ] && uses="${uses:+$uses and }the linters (.venvs/tools)"
        echo "Python $v is needed for $uses: install it (pyenv install $v or apt install python$v) and make sure python$v is on PATH"
        missing=1
    done
    return "$missing"
}

# A virtualenv from a requirements file, rebuilt only when the requirement files or the
# interpreter change (a stamp file records what it was built from).
setup_venv() {
    local venv=$1 version=$2 requirements=$3 stamp want
    have_python "$version" || { echo "Python $version is not installed, needed for $venv"; return 1; }
    want=$(cat "$ROOT/requirements-dev.txt" "$ROOT/$requirements" "$ROOT/tests/unit/requirements.txt" \
           <("$PYDIR/python$version" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)
    stamp=$venv/.gates-stamp
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
        echo "$venv: up to date"
        return 0
    fi
    echo "$venv: installing $requirements with Python $version"
    rm -rf "$venv"
    "$PYDIR/python$version" -m venv "$venv" || return 1
    (cd "$ROOT" && "$venv/bin/python" -m pip install --quiet --no-warn-script-location -r "$requirements") || return 1
    "$venv/bin/python" -m pip check || return 1
    echo "$want" > "$stamp"
}

# ansible-test bootstraps pip in every virtualenv it creates with a get-pip.py script that it
# downloads from a host outside the package registries this machine (and CI) can reach, and
# caches as ~/.ansible/test/cache/get_pip_<version>.py. When that file is missing we write a
# stand-in there for every pip version this ansible-test asks for (read from its own
# python_requirements.py; each ansible-core release names its own). We never try the download:
# the stand-in works offline and online alike, since it only uses the interpreter's bundled pip
# and the configured package index, and an already cached real script is left untouched.
# ansible-test runs the script as `<venv python> quiet_pip.py [--disable-pip-version-check]
# pip==X [setuptools==Y wheel==Z] [--no-setuptools] [--no-wheel]` with GET_PIP pointing at it, in a
# venv created without pip.
GET_PIP_STAND_IN='# Stand-in for get-pip.py written by exotel.trunking scripts/gates.sh (the real script cannot be
# downloaded here): install the requested pip (and setuptools/wheel) into this venv, running pip
# from the wheel bundled with the interpreter, or via ensurepip when there is no such wheel.
import glob
import os
import subprocess
import sys

import ensurepip

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
bundled = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl")))
if bundled:
    pip = [sys.executable, os.path.join(bundled[-1], "pip")]
else:
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
    pip = [sys.executable, "-m", "pip"]
sys.exit(subprocess.call(pip + ["install", "--upgrade"] + args))
'
seed_get_pip() {
    local venv=$1 file version cache
    file=$(printf '%s\n' "$venv"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -n 1)
    [ -f "$file" ] || { echo "ansible-test is missing from $venv"; return 1; }
    mkdir -p "$HOME/.ansible/test/cache"
    grep -o "pip='[0-9.]*'" "$file" | sed "s/pip='\\(.*\\)'/\\1/" | sort -u | while read -r version; do
        cache=$HOME/.ansible/test/cache/get_pip_${version//./_}.py
        if [ ! -s "$cache" ]; then
            printf '%s' "$GET_PIP_STAND_IN" > "$cache"
            echo "wrote the get-pip stand-in for pip $version: $cache"
        fi
    done
}

setup() {
    setup_pythons || return 1
    check_pythons || return 1
    local core
    for core in $CORES; do
        setup_venv "$(core_venv "$core")" "$(core_python "$core")" requirements-core.txt || return 1
        seed_get_pip "$(core_venv "$core")" || return 1
    done
    setup_venv "$VENVS/tools" "$TOOLS_PYTHON" requirements-tools.txt || return 1
}

# The files of the collection: what git tracks (and still exists) plus untracked files that are
# not ignored; without git, everything but the usual output directories.
list_files() {
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
            | while IFS= read -r -d '' f; do
                case $f in .venvs|.venvs/*|build|build/*|tests/output|tests/output/*) continue ;; esac
                if [ -e "$ROOT/$f" ] || [ -L "$ROOT/$f" ]; then printf '%s\0' "$f"; fi
            done
    else
        (cd "$ROOT" && find . \( -name .git -o -name .venvs -o -name build -o -path ./tests/output \) -prune \
            -o \( -type f -o -type l \) -print0 | sed -z 's|^\./||')
    fi
}
FILES=$WORK/files.list
# A fresh copy of the collection for one gate; prints its path. The copy gets an empty git
# repository of its own: ansible-test (and ansible-lint, ruff) list files through git, and would
# otherwise find the enclosing work tree, where build/ is ignored, and see no file at all.
copy_collection() {
    local dest=$WORK/$1/$COLLECTION_PATH
    rm -rf "${WORK:?}/$1" && mkdir -p "$dest"
    (cd "$ROOT" && xargs -0 cp -a --parents -t "$dest" < "$FILES") || return 1
    git -C "$dest" init -q || return 1
    echo "$dest"
}

# ---------------------------------------------------------------------------------------------
# Helpers for the gates. A gate is a function gate_<name> run with its output in its log; it
# returns non-zero to fail and may call `reason` to say why (otherwise the runner says why).

reason() { printf '%s\n' "$*" >> "$REASON_FILE"; }
skip() { printf '%s\n' "$*" > "$SKIP_FILE"; }
# A few words for the PASS line.
gate_note() { printf '%s' "$*" > "$NOTE_FILE"; }
# The first N lines of a file matching a pattern, joined with " | ".
first_lines() {
    grep -E -- "$2" "$1" 2>/dev/null | head -n "${3:-3}" | cut -c1-300 | awk 'NR > 1 { printf " | " } { printf "%s", $0 }'
}

with_path() { PATH="$PYDIR:$1/bin:$PATH" "${@:2}"; }

# ansible-test sanity output to a reason: each failed test with its first finding.
sanity_reason() {
    local log=$1 found
    found=$(awk '
        /^ERROR: Found [0-9]+ .* issue\(s\)/ { test = $4; for (i = 5; $i !~ /^issue/; i++) test = test " " $i; want = 1; next }
        want && /^ERROR: / { sub(/^ERROR: /, ""); printf "%s%s: %s", (n++ ? " | " : ""), test, substr($0, 1, 250); want = 0 }
    ' "$log")
    if [ -n "$found" ]; then
        reason "$found"
    else
        reason "$(first_lines "$log" '^(ERROR|FATAL)' 3)"
    fi
}

# ---------------------------------------------------------------------------------------------
# The gates

# 1. ansible-test sanity: the full default set of tests, on the Python of the core's venv.
#    Fix findings rather than ignore them: tests/sanity/ignore-*.txt should not exist. If an
#    entry is truly unavoidable, it must say why in a trailing comment (`path test  # why`; the
#    files allow no comment-only lines); an entry without one fails the gate.
sanity() {
    local core=$1 venv dir status bare
    venv=$(core_venv "$core")
    dir=$(copy_collection "sanity-$core") || return 1
    bare=$(cd "$dir" && awk 'NF && !/#/ { print FILENAME ":" FNR ": " $0 }' tests/sanity/ignore-*.txt 2>/dev/null)
    if [ -n "$bare" ]; then
        printf '%s\n' "$bare"
        reason "sanity ignore entries without a comment saying why: $(printf '%s\n' "$bare" | head -n 3 | paste -sd' ')"
        return 1
    fi
    (cd "$dir" && with_path "$venv" ansible-test sanity --color no --python "$(core_python "$core")")
    status=$?
    [ "$status" -eq 0 ] || sanity_reason "$LOG"
    return "$status"
}
gate_sanity_2_16() { sanity 2.16; }
gate_sanity_2_21() { sanity 2.21; }

# 2. ansible-test units on the Python of the core's venv (tests/unit/, with pytest-xdist).
units() {
    local core=$1 venv dir status
    venv=$(core_venv "$core")
    dir=$(copy_collection "units-$core") || return 1
    if [ ! -d "$dir/tests/unit" ]; then skip "tests/unit does not exist yet"; return 0; fi
    (cd "$dir" && with_path "$venv" ansible-test units --color no --python "$(core_python "$core")")
    status=$?
    if [ "$status" -ne 0 ]; then
        reason "ansible-test units failed: $(first_lines "$LOG" '^(FAILED|ERROR)|[0-9]+ (failed|errors?)' 4)"
    elif ! grep -q -E '[0-9]+ passed' "$LOG"; then
        reason "ansible-test units ran no test"
        return 1
    fi
    return "$status"
}
gate_units_2_16() { units 2.16; }
gate_units_2_21() { units 2.21; }

# 3. The Python matrix: ansible-test's compile and import sanity tests of the modules and
#    module_utils on every Python the core supports for modules, from MIN_MODULE_PYTHON on. A
#    version that is not installed here is skipped and said so; one that fails fails the gate.
matrix() {
    local core=$1 venv dir supported v ran="" skipped="" failed=""
    venv=$(core_venv "$core")
    dir=$(copy_collection "matrix-$core") || return 1
    supported=$("$venv/bin/python" -c '
from ansible_test._util.target.common.constants import REMOTE_ONLY_PYTHON_VERSIONS, CONTROLLER_PYTHON_VERSIONS
print(" ".join(REMOTE_ONLY_PYTHON_VERSIONS + CONTROLLER_PYTHON_VERSIONS))') || { reason "cannot read the Python versions ansible-test $core supports"; return 1; }
    echo "ansible-test $core supports Python: $supported"
    for v in $supported; do
        if [ "$(printf '%s\n%s\n' "$MIN_MODULE_PYTHON" "$v" | sort -V | head -n 1)" != "$MIN_MODULE_PYTHON" ]; then
            echo "not tested: Python $v, older than the modules' python_requires (tests/config.yml)"
            continue
        fi
        if ! have_python "$v"; then
            echo "SKIP Python $v: not installed on this machine"
            skipped="$skipped $v"
            continue
        fi
        echo "--- compile + import on Python $v"
        if (cd "$dir" && with_path "$venv" ansible-test sanity --color no --test compile --test import --python "$v"); then
            ran="$ran $v"
        else
            failed="$failed $v"
        fi
    done
    echo "passed on:${ran:- none}; failed on:${failed:- none}; not installed:${skipped:- none}"
    if [ -n "$failed" ]; then
        reason "compile/import failed on Python${failed}: $(first_lines "$LOG" '^ERROR: ' 3)"
        return 1
    fi
    [ -n "$ran" ] || { reason "no supported Python is installed"; return 1; }
    gate_note "Python${ran}${skipped:+; not installed:$skipped}"
}
gate_matrix_2_16() { matrix 2.16; }
gate_matrix_2_21() { matrix 2.21; }

# The end-to-end tests: scripts/integration.sh starts the emulator and runs ansible-test
# integration --local (no virtualenv of ansible-test's own) in a copy of the collection, with the
# core's venv as controller and module Python.
integration() {
    local core=$1 dir venv
    venv=$(core_venv "$core")
    if [ ! -f "$ROOT/scripts/integration.sh" ]; then skip "scripts/integration.sh does not exist yet"; return 0; fi
    if [ ! -d "$ROOT/tests/integration/targets" ]; then skip "tests/integration/targets does not exist yet"; return 0; fi
    dir=$(copy_collection "integration-$core") || return 1
    if ! PATH="$PYDIR:$venv/bin:$PATH" ANSIBLE_TEST="$venv/bin/ansible-test" PYTHON="$venv/bin/python" \
        bash "$dir/scripts/integration.sh" "$dir"; then
        integration_reason "$LOG"
        return 1
    fi
    gate_note "$(grep -c '^PLAY RECAP' "$LOG") plays"
}
# The first task failure that was not ignored, with its target, and ansible-test's verdict.
integration_reason() {
    local found
    found=$(awk '
        /^Running .* integration test role/ { target = $2 }
        pending != "" && !/^\.\.\.ignoring/ && !done { print "target " target ": " substr(pending, 1, 300); done = 1 }
        { pending = "" }
        /^fatal: / { pending = $0 }
        /^FATAL: / { print substr($0, 1, 200) }
    ' "$1" | head -n 3 | awk 'NR > 1 { printf " | " } { printf "%s", $0 }')
    reason "scripts/integration.sh failed: ${found:-$(first_lines "$1" '^(ERROR|FATAL)|rror' 2)}"
}
gate_integration_2_16() { integration 2.16; }
gate_integration_2_21() { integration 2.21; }

# pytest on a directory of the copy with the newest core's venv; no test collected is a failure.
run_pytest() {
    local sub=$1 dir status
    dir=$(copy_collection "$2") || return 1
    (cd "$dir" && "$(core_venv 2.21)/bin/python" -m pytest -p no:cacheprovider -q "$sub")
    status=$?
    case $status in
        0) ;;
        5) reason "pytest collected no test in $sub" ;;
        *) reason "pytest $sub failed: $(first_lines "$LOG" '^(FAILED|ERROR)|[0-9]+ (failed|errors?)' 4)" ;;
    esac
    return "$status"
}
# The emulator's own tests.
gate_emulator() {
    if [ ! -d "$ROOT/tests/emulator" ]; then skip "tests/emulator does not exist yet"; return 0; fi
    run_pytest tests/emulator emulator
}
# End-to-end pytest suite (real ansible-playbook runs against the emulator), when there is one.
gate_e2e() {
    if [ ! -d "$ROOT/tests/e2e" ]; then skip "tests/e2e does not exist"; return 0; fi
    PATH="$(core_venv 2.21)/bin:$PATH" run_pytest tests/e2e e2e
}

# `make demo` as a newcomer runs it: in a clean copy of the collection, with an empty HOME, the
# standard system PATH (GATES_DEMO_PATH; its python3 is the system's own, here Debian's 3.11) and
# no other environment. It must set up its own venv from that python3, show the three steps
# (changed with the diff pstn -> flow, ok with no write sent, changed back with the diff
# flow -> pstn) and leave HOME empty. The copy is moved to a short path, as a clone's usually is:
# scripts/demo.sh keeps Python's temporary files (and so ansible-core's Unix socket) in the
# checkout only when the checkout's path is short enough for a socket path.
DEMO_PATH=${GATES_DEMO_PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}
gate_demo() {
    local dir home out python steps want left
    dir=$(copy_collection demo) || return 1
    mv "$dir" "$WORK/demo/clone" && rm -rf "$WORK/demo/${COLLECTION_PATH%%/*}" || return 1
    dir=$WORK/demo/clone home=$WORK/demo/home out=$WORK/demo/demo.out
    mkdir -p "$home"
    python=$(env -i PATH="$DEMO_PATH" bash -c 'command -v python3 && python3 -V' 2>&1 | paste -sd' ')
    echo "python3 on PATH=$DEMO_PATH: ${python:-none}"
    echo "--- env -i HOME=$home PATH=$DEMO_PATH make demo"
    (cd "$dir" && env -i HOME="$home" PATH="$DEMO_PATH" make demo) > "$out" 2>&1
    local status=$?
    cat "$out"
    if [ "$status" -ne 0 ]; then
        reason "make demo failed (exit status $status; python3: ${python:-none}): $(first_lines "$out" '^make demo:|ERROR|FAILED|fatal|rror' 2)"
        return 1
    fi
    # Per step: the play's changed and failed counts, the diff of the mode, the writes sent.
    steps=$(awk '
        /^ Step [0-9] of 3:/ { step++ }
        step && /^localhost +:/ { for (i = 1; i <= NF; i++) if ($i ~ /^(changed|failed)=/) { split($i, kv, "="); count[step, kv[1]] = kv[2] } }
        step && /^[-+] *mode: (pstn|flow) *$/ { diff[step] = diff[step] (diff[step] == "" ? "" : ",") substr($0, 1, 1) $NF }
        step && /^ *\([0-9]+ reads?, [0-9]+ writes?\)$/ { writes[step] = $3 }
        END { for (s = 1; s <= 3; s++) printf "%s%d: changed=%s failed=%s diff=%s writes=%s", (s > 1 ? "; " : ""), s, count[s, "changed"], count[s, "failed"], diff[s], writes[s] }
    ' "$out")
    want="1: changed=1 failed=0 diff=-pstn,+flow writes=1; 2: changed=0 failed=0 diff= writes=0; 3: changed=1 failed=0 diff=-flow,+pstn writes=1"
    echo "steps: $steps"
    if [ "$steps" != "$want" ] || ! grep -q '^ Done: ' "$out"; then
        reason "make demo did not show the three steps: got [$steps], want [$want]"
        return 1
    fi
    left=$(cd "$home" && find . -mindepth 1 | head -n 5 | paste -sd' ')
    if [ -n "$left" ]; then
        reason "make demo wrote into HOME: $left"
        return 1
    fi
    gate_note "$(printf '%s' "$python" | sed 's/.* Python /Python /'), $(grep -o -m 1 'ansible-core [0-9][0-9.]*' "$out"), HOME left empty"
}

# 4. ansible-lint, production profile (.ansible-lint), on a copy at an ansible_collections path
#    so that the collection's modules and action group resolve.
gate_ansible_lint() {
    local dir
    dir=$(copy_collection ansible-lint) || return 1
    if ! (cd "$dir" && ANSIBLE_COLLECTIONS_PATH="$WORK/ansible-lint" with_path "$VENVS/tools" ansible-lint --nocolor); then
        reason "ansible-lint: $(first_lines "$LOG" '^[a-z-]+(\[[a-z-]+\])?: ' 3)"
        return 1
    fi
}

# 5. The documentation: antsibull-docs lints the plugin docs (schema, markup, references) and the
#    extra docs; then ansible-doc must render every module.
gate_docs() {
    local dir m out status=0 count=0
    dir=$(copy_collection docs) || return 1
    export ANSIBLE_COLLECTIONS_PATH="$WORK/docs"
    if ! (cd "$dir" && with_path "$VENVS/tools" antsibull-docs lint-collection-docs --plugin-docs \
            --validate-collection-refs all --disallow-unknown-collection-refs --check-extra-docs-refs .); then
        reason "antsibull-docs lint-collection-docs: $(first_lines "$LOG" '\.(py|yml|yaml|rst|md):|ERROR|rror' 3 \
            | sed -E 's#([.][.]/)+[^ ]*/ansible_collections/exotel/trunking/##g')"
        status=1
    fi
    for m in "$dir"/plugins/modules/*.py; do
        [ -e "$m" ] || continue
        m=$(basename "$m" .py)
        [ "$m" != __init__ ] || continue
        count=$((count + 1))
        if ! out=$(cd "$dir" && with_path "$VENVS/tools" ansible-doc "exotel.trunking.$m" 2>"$WORK/docs/ansible-doc.err") \
            || [ -z "$out" ] || grep -q -E 'WARNING|ERROR' "$WORK/docs/ansible-doc.err"; then
            cat "$WORK/docs/ansible-doc.err"
            reason "ansible-doc exotel.trunking.$m: $(head -n 2 "$WORK/docs/ansible-doc.err" | paste -sd' ' | cut -c1-200)"
            status=1
        else
            echo "ansible-doc exotel.trunking.$m: $(printf '%s\n' "$out" | wc -l) lines"
        fi
    done
    [ "$count" -gt 0 ] || { reason "no module in plugins/modules"; status=1; }
    # The HTML site (module pages and guides), built offline with warnings as errors, then a check
    # of every local link and anchor in it (docs/build.sh, also `make docs`), from the copy, so
    # that the site is built into the copy's build/docs and not over the one `make docs` made.
    if [ -f "$dir/docs/build.sh" ] && ! bash "$dir/docs/build.sh" "$VENVS/tools/bin/python"; then
        reason "docs/build.sh: $(first_lines "$LOG" 'WARNING|ERROR|broken link|missing anchor|missing page' 3)"
        status=1
    fi
    gate_note "$count modules, HTML site built"
    return "$status"
}

# 6. The changelog: antsibull-changelog lint (fragments and config), lint of changelog.yaml when
#    there is one, and the rule that every change to plugins/ comes with a fragment
#    (scripts/check_changelog_fragment.py says which commits it checks).
gate_changelog() {
    local dir status=0
    dir=$(copy_collection changelog) || return 1
    if ! (cd "$dir" && with_path "$VENVS/tools" antsibull-changelog lint); then
        reason "antsibull-changelog lint: $(first_lines "$LOG" '.' 2)"
        status=1
    fi
    if [ -f "$dir/changelogs/changelog.yaml" ] && ! (cd "$dir" && with_path "$VENVS/tools" antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml); then
        reason "changelogs/changelog.yaml does not lint"
        status=1
    fi
    if ! "$VENVS/tools/bin/python" "$ROOT/scripts/check_changelog_fragment.py" "$ROOT" > "$WORK/changelog/fragment.out" 2>&1; then
        reason "$(grep -v '^checked ' "$WORK/changelog/fragment.out" | head -n 3 | paste -sd';')"
        status=1
    fi
    cat "$WORK/changelog/fragment.out"
    return "$status"
}

# 7. The release artifact: ansible-galaxy collection build, install of the tarball into a
#    temporary path, and galaxy-importer on the tarball (the checks Galaxy runs on upload).
#    galaxy-importer would need a container engine for its ansible-test step, which is off here
#    (ansible-test runs in the gates above), and it exits 0 even after some problems, so its
#    output is read: any ERROR or WARNING line fails the gate.
gate_build() {
    local dir dist inst tarball m missing=""
    dir=$(copy_collection build) || return 1
    dist=$WORK/build/dist inst=$WORK/build/installed
    rm -rf "$dist" "$inst" && mkdir -p "$dist" "$inst"
    (cd "$dir" && with_path "$VENVS/tools" ansible-galaxy collection build --output-path "$dist" .) \
        || { reason "ansible-galaxy collection build failed: $(first_lines "$LOG" 'ERROR' 2)"; return 1; }
    tarball=$(printf '%s\n' "$dist"/exotel-trunking-*.tar.gz | head -n 1)
    [ -f "$tarball" ] || { reason "ansible-galaxy collection build made no tarball"; return 1; }
    (cd "$dist" && with_path "$VENVS/tools" ansible-galaxy collection install --offline -p "$inst" "$tarball") \
        || { reason "ansible-galaxy collection install of $(basename "$tarball") failed"; return 1; }
    for m in "$dir"/plugins/modules/*.py plugins/modules/exotel_number_mode.py; do
        m=plugins/modules/$(basename "$m")
        [ -f "$inst/$COLLECTION_PATH/$m" ] || missing="$missing $m"
    done
    [ -z "$missing" ] || { reason "the installed collection lacks$missing"; return 1; }
    echo "installed $(basename "$tarball") into $inst"
    printf '%s\n' '[galaxy-importer]' 'RUN_ANSIBLE_TEST = False' 'RUN_ANSIBLE_DOC = True' 'RUN_ANSIBLE_LINT = True' \
        'OFFLINE_ANSIBLE_LINT = True' 'CHECK_REQUIRED_TAGS = True' 'CHECK_CHANGELOG = True' 'RUN_FLAKE8 = False' \
        'LOG_LEVEL_MAIN = INFO' > "$WORK/build/galaxy-importer.cfg"
    (cd "$dist" && GALAXY_IMPORTER_CONFIG="$WORK/build/galaxy-importer.cfg" with_path "$VENVS/tools" \
        python -m galaxy_importer.main "$tarball") > "$WORK/build/importer.out" 2>&1
    local status=$?
    cat "$WORK/build/importer.out"
    if grep -q -E '^(ERROR|WARNING)' "$WORK/build/importer.out"; then
        reason "galaxy-importer: $(first_lines "$WORK/build/importer.out" '^(ERROR|WARNING)' 3)"
        return 1
    fi
    if [ "$status" -ne 0 ] || ! grep -q 'Importer processing completed successfully' "$WORK/build/importer.out"; then
        reason "galaxy-importer did not complete (exit status $status): $(tail -n 1 "$WORK/build/importer.out" | cut -c1-200)"
        return 1
    fi
    # An execution environment with the collection: ansible-builder turns it into a build context
    # (no container engine needed for that step).
    if [ -f "$dir/tests/ee/create-context.sh" ] \
        && ! bash "$dir/tests/ee/create-context.sh" "$VENVS/tools/bin/ansible-builder" "$tarball" "$WORK/build/ee"; then
        reason "ansible-builder create: $(first_lines "$LOG" 'rror|no |missing|not ' 2)"
        return 1
    fi
    gate_note "$(basename "$tarball"), EE build context"
}

# 8. yamllint (strict: warnings fail) with .yamllint; ruff with ruff.toml; the action group.
gate_yamllint() {
    local dir
    dir=$(copy_collection yamllint) || return 1
    if ! (cd "$dir" && with_path "$VENVS/tools" yamllint --strict --format parsable .); then
        reason "yamllint: $(first_lines "$LOG" '^[^ ]+:[0-9]+:[0-9]+: ' 3)"
        return 1
    fi
}
gate_ruff() {
    local dir
    dir=$(copy_collection ruff) || return 1
    if ! (cd "$dir" && with_path "$VENVS/tools" ruff check --no-cache --output-format concise .); then
        reason "ruff: $(first_lines "$LOG" '^[^ ]+:[0-9]+:[0-9]+: ' 3)"
        return 1
    fi
}
gate_action_group() {
    local dir
    dir=$(copy_collection action-group) || return 1
    if ! "$VENVS/tools/bin/python" "$ROOT/scripts/check_action_group.py" "$dir"; then
        reason "$(grep -v '^action_groups' "$LOG" | head -n 3 | paste -sd';')"
        return 1
    fi
}

# ---------------------------------------------------------------------------------------------
# The runner

# Run one gate with its output in build/gates/logs/GATE.log; record its summary line in
# build/gates/logs/GATE.result.
run_gate() {
    local gate=$1 fn start status secs line pid watchdog
    fn=gate_$(printf '%s' "$gate" | tr '.-' '__')
    LOG=$LOGS/$gate.log REASON_FILE=$LOGS/$gate.reason SKIP_FILE=$LOGS/$gate.skip NOTE_FILE=$LOGS/$gate.note
    rm -f "$LOG" "$REASON_FILE" "$SKIP_FILE" "$NOTE_FILE"
    start=$(now)
    note "start $gate"
    "$fn" > "$LOG" 2>&1 9>&- &
    pid=$!
    # A hung gate fails after GATE_TIMEOUT seconds instead of eating CI's time.
    (
        exec > /dev/null 2>&1
        trap 'kill "$sleeper" 2> /dev/null; exit 0' TERM
        sleep "$GATE_TIMEOUT" & sleeper=$!
        wait "$sleeper"
        echo "gate timed out after ${GATE_TIMEOUT}s" >> "$LOG"
        kill_tree "$pid"
    ) &
    watchdog=$!
    wait "$pid"
    status=$?
    kill -TERM "$watchdog" 2> /dev/null
    wait "$watchdog" 2> /dev/null
    secs=$(( $(now) - start ))
    if [ -s "$SKIP_FILE" ]; then
        line="SKIP $gate: $(head -n 1 "$SKIP_FILE")"
    elif [ "$status" -eq 0 ]; then
        line="PASS $gate (${secs}s$([ -s "$NOTE_FILE" ] && printf ', %s' "$(cat "$NOTE_FILE")"))"
    else
        local why
        why=$(awk 'NR > 1 { printf "; " } { printf "%s", $0 }' "$REASON_FILE" 2> /dev/null)
        [ -n "$why" ] || why="exit status $status: $(first_lines "$LOG" 'ERROR|FAIL|rror|timed out' 2)"
        line="FAIL $gate: $why (${secs}s; log: ${LOG#"$ROOT"/})"
    fi
    printf '%s\n' "$line" > "$LOGS/$gate.result"
    note "done  $gate: ${line%% *} (${secs}s)"
}

# Terminate a process and all its descendants, by process id.
kill_tree() {
    local child
    for child in $(ps -o pid= --ppid "$1" 2> /dev/null); do kill_tree "$child"; done
    kill -TERM "$1" 2> /dev/null
}

stop_all() {
    local child
    for child in $(ps -o pid= --ppid $$); do kill_tree "$child"; done
}

run_lane() { local gate; for gate in "$@"; do run_gate "$gate"; done; }

main() {
    local gates=() g
    case ${1:-} in
        --list) printf '%s\n' "${ALL_GATES[@]}"; exit 0 ;;
        -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    esac
    mkdir -p "$LOGS"
    # One run at a time per work tree: a second `make test` (or `make venvs`) waits for the first
    # instead of deleting its copies and virtualenvs under it.
    exec 9> "$WORK/.lock"
    if ! flock -n 9; then
        note "another run of scripts/gates.sh is using $WORK; waiting for it"
        flock 9
    fi
    if [ "${1:-}" = --setup ]; then setup; exit $?; fi
    if [ $# -eq 0 ] || [ "$1" = all ]; then
        gates=("${ALL_GATES[@]}")
    else
        gates=("$@")
        for g in "${gates[@]}"; do
            case " ${ALL_GATES[*]} " in *" $g "*) ;; *) echo "unknown gate: $g (see --list)" >&2; exit 2 ;; esac
        done
    fi
    rm -f "$LOGS"/*.result
    # Background jobs of a script ignore Ctrl-C: on INT or TERM, end every process we started.
    trap 'stop_all; echo "interrupted"; exit 130' INT TERM

    local t0 setup_secs
    t0=$(now)
    note "setting up (log: build/gates/logs/setup.log)"
    if ! setup > "$LOGS/setup.log" 2>&1 9>&-; then
        tail -n 30 "$LOGS/setup.log" | sed '$d'
        echo "FAIL setup: $(tail -n 1 "$LOGS/setup.log" | cut -c1-300) (log: build/gates/logs/setup.log)"
        echo "0 passed, 1 failed"
        exit 1
    fi
    setup_secs=$(( $(now) - t0 ))
    list_files > "$FILES" || { echo "FAIL setup: cannot list the collection's files"; echo "0 passed, 1 failed"; exit 1; }
    note "set up in ${setup_secs}s; $(grep '^pythons:' "$LOGS/setup.log")"

    # Two lanes of about equal length (cold, 2 cores: about 7 minutes each). The gates that make
    # ansible-test create virtualenvs (sanity, units, matrix) stay in the first lane, one after the
    # other: ansible-test keeps them under ~/.ansible/test/venv, some shared between ansible-core
    # versions, and two ansible-test processes creating the same one at once would trip over each
    # other. The end-to-end gates (2 to 4 minutes each) are split between the lanes; the demo gate
    # (under a minute) goes to the second, the shorter one.
    local lane1=() lane2=()
    for g in "${gates[@]}"; do
        case $g in
            sanity-*|units-*|matrix-*|integration-2.21) lane1+=("$g") ;;
            *) lane2+=("$g") ;;
        esac
    done
    if [ "$JOBS" -gt 1 ] && [ ${#lane1[@]} -gt 0 ] && [ ${#lane2[@]} -gt 0 ]; then
        run_lane "${lane1[@]}" &
        local lane1_pid=$!
        run_lane "${lane2[@]}"
        wait "$lane1_pid"
    else
        run_lane "${gates[@]}"
    fi

    # Failure details first, then one summary line per gate, then the count.
    local passed=0 failed=0 line
    for g in "${gates[@]}"; do
        line=$(cat "$LOGS/$g.result" 2>/dev/null || echo "FAIL $g: did not run")
        if [ "${line%% *}" = FAIL ]; then
            echo
            echo "==== $g: last lines of build/gates/logs/$g.log"
            tail -n 40 "$LOGS/$g.log" 2>/dev/null | cut -c1-400
        fi
    done
    echo
    echo "==== summary (set-up ${setup_secs}s, total $(( $(now) - t0 ))s; logs in build/gates/logs/)"
    for g in "${gates[@]}"; do
        line=$(cat "$LOGS/$g.result" 2>/dev/null || echo "FAIL $g: did not run")
        echo "$line"
        case ${line%% *} in
            PASS) passed=$((passed + 1)) ;;
            FAIL) failed=$((failed + 1)) ;;
        esac
    done
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main "$@"
