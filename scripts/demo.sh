#!/usr/bin/env bash
# A two-minute tour of exotel.trunking.exotel_number_mode, against a local Exotel emulator
# (no Exotel account needed). Runs docs/examples/number_mode_demo.yml three times:
#   1. switch +918040264208 to flow, with --diff   -> changed, and the diff of the mode
#   2. the same again                              -> ok, changed=0: nothing is sent
#   3. back to pstn                                -> changed
# Environment:
#   PYTHON  a python with ansible-core and requests (default: python3; `make demo` sets up
#           .venvs/demo with scripts/demo_venv.sh and uses it)
# The emulator is stopped on every exit path, also when a play fails. Everything the run writes
# (Ansible's home and temporary files, Python's temporary files, the emulator's state) goes to a
# work directory under build/demo/ that is removed at the end: nothing is written to HOME or /tmp.
# (One exception: when the checkout's path is so long that a Unix socket path under build/demo/
# would not fit, Python's temporary files stay in TMPDIR; a note says so.) Ansible reads no
# ansible.cfg (ANSIBLE_CONFIG points at an empty one), so the output does not depend on yours.
set -euo pipefail

PYTHON=${PYTHON:-python3}
root=$(cd "$(dirname "$0")/.." && pwd -P)
playbook="$root/docs/examples/number_mode_demo.yml"
emulator="$root/tests/emulator/exotel_emulator.py"
mkdir -p "$root/build/demo"
work=$(mktemp -d "$root/build/demo/XXXXXX")

# shellcheck disable=SC2317,SC2329  # called by the EXIT trap
cleanup() {
    "$PYTHON" "$emulator" stop --state-dir "$work/emulator" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "$PYTHON" -c 'import ansible, requests' 2>/dev/null; then
    echo "demo.sh: $PYTHON needs ansible-core and requests (pip install ansible-core requests), or set PYTHON" >&2
    exit 2
fi

# Make the collection in this checkout importable as exotel.trunking.
mkdir -p "$work/collections/ansible_collections/exotel"
ln -s "$root" "$work/collections/ansible_collections/exotel/trunking"
export ANSIBLE_COLLECTIONS_PATH="$work/collections"
# Keep Ansible, Python and the emulator out of HOME and /tmp, and off the checkout's sources.
mkdir -p "$work/ansible/tmp"
: > "$work/ansible.cfg"
export ANSIBLE_CONFIG="$work/ansible.cfg" ANSIBLE_HOME="$work/ansible"
export ANSIBLE_LOCAL_TEMP="$work/ansible/tmp" ANSIBLE_REMOTE_TEMP="$work/ansible/remote_tmp"
export PYTHONDONTWRITEBYTECODE=1
# ansible-core 2.20+ listens on a Unix socket at $TMPDIR/pymp-XXXXXXXX/listener-XXXXXXXX, and a
# socket path has at most 107 bytes: TMPDIR may have 75.
if [ "$(printf '%s' "$work" | wc -c)" -le 75 ]; then
    export TMPDIR="$work"
else
    echo "demo.sh: note: the checkout's path is too long for a Unix socket under build/demo/; Python's temporary files go to ${TMPDIR:-/tmp}" >&2
fi
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_RETRY_FILES_ENABLED=false ANSIBLE_CALLBACK_RESULT_FORMAT=yaml

bold=''; reset=''
if [ -t 1 ]; then bold=$'\033[1m'; reset=$'\033[0m'; fi

banner() {
    printf '\n%s==============================================================================%s\n' "$bold" "$reset"
    printf '%s %s%s\n' "$bold" "$1" "$reset"
    printf '%s==============================================================================%s\n' "$bold" "$reset"
}

# What the playbook sent to the (emulated) Exotel API since the last call; then clear the log.
api_calls() {
    "$PYTHON" - "$EXOTEL_API_URL" <<'PY'
import json, sys, urllib.request
base = sys.argv[1] + '/_emulator/log'
with urllib.request.urlopen(base) as answer:
    entries = json.load(answer)['entries']
urllib.request.urlopen(urllib.request.Request(base, method='DELETE')).close()
print('Exotel API calls made by this run:')
for e in entries:
    query = '&'.join('%s=%s' % kv for kv in sorted(e['query'].items()))
    path = e['path'].split('/v2/accounts/demo_account', 1)[-1]
    print('  %-6s %s%s -> HTTP %s' % (e['method'], path, '?' + query if query else '', e['status']))
writes = [e for e in entries if e['method'] != 'GET']
print('  (%d read%s, %d write%s)' % (len(entries) - len(writes), '' if len(entries) - len(writes) == 1 else 's',
                                     len(writes), '' if len(writes) == 1 else 's'))
PY
}

play() {
    "$PYTHON" -m ansible.cli.playbook "$playbook" "$@"
}

banner "Starting a local Exotel emulator (demo account, trunk trmum1f708622631150902801a1n)"
url=$("$PYTHON" "$emulator" start --state-dir "$work/emulator")
read -r sid key token < <("$PYTHON" "$root/tests/emulator/exotel_emu/credentials.py")
export EXOTEL_API_URL="$url" EXOTEL_ACCOUNT_SID="$sid" EXOTEL_API_KEY="$key" EXOTEL_API_TOKEN="$token"
echo "Emulator at $url; +918040264208 starts in pstn mode (calls go to the telephone network)."
echo "The playbook takes its connection from EXOTEL_API_URL, EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN."

banner "Step 1 of 3: switch +918040264208 to flow (--diff)  -- expect: changed, diff pstn -> flow"
play --diff -e demo_mode=flow
api_calls

banner "Step 2 of 3: the same again  -- expect: ok, changed=0, no write sent (idempotent)"
play --diff -e demo_mode=flow
api_calls

banner "Step 3 of 3: back to pstn (--diff)  -- expect: changed, diff flow -> pstn"
play --diff -e demo_mode=pstn
api_calls

banner "Done: step 1 switched the number, step 2 found nothing to do, step 3 put it back."
