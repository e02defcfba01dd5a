#!/usr/bin/env bash
# Run the collection's ansible-test integration targets against the local Exotel emulator.
#
# Usage: scripts/integration.sh COLLECTION_DIR [ansible-test integration arguments or targets...]
#   COLLECTION_DIR  a prepared copy of the collection at .../ansible_collections/exotel/trunking
#                   (ansible-test runs there; tests/integration/integration_config.yml is written
#                   into it for the run and removed afterwards)
# Environment:
#   ANSIBLE_TEST   the ansible-test executable (default: ansible-test)
#   PYTHON         python that runs the emulator (default: python3; standard library only)
#   EXOTEL_EMULATOR_RATE_LIMIT  requests/minute per account in the emulator (default 200; 0 = off)
# Exits with ansible-test's status. The emulator is stopped on every exit path.
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
[ -d "$1" ] || { echo "integration.sh: $1 is not a directory" >&2; usage; }

ANSIBLE_TEST=${ANSIBLE_TEST:-ansible-test}
PYTHON=${PYTHON:-python3}
collection_dir=$(cd "$1" && pwd -P)
shift

case "$collection_dir" in
    */ansible_collections/exotel/trunking) ;;
    *) echo "integration.sh: $collection_dir must be a path ending in ansible_collections/exotel/trunking" >&2; exit 2 ;;
esac

emulator="$collection_dir/tests/emulator/exotel_emulator.py"
if [ ! -f "$emulator" ]; then
    emulator="$(cd "$(dirname "$0")/.." && pwd -P)/tests/emulator/exotel_emulator.py"
fi
config="$collection_dir/tests/integration/integration_config.yml"
state_dir=$(mktemp -d "${TMPDIR:-/tmp}/exotel-emulator.XXXXXX")

# shellcheck disable=SC2317,SC2329  # called by the EXIT trap
cleanup() {
    "$PYTHON" "$emulator" stop --state-dir "$state_dir" >/dev/null 2>&1 || true
    rm -f "$config"
    rm -rf "$state_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url=$("$PYTHON" "$emulator" start --state-dir "$state_dir" --rate-limit "${EXOTEL_EMULATOR_RATE_LIMIT:-200}")
echo "integration.sh: Exotel emulator at $url"

read -r sid key token < <("$PYTHON" "$(dirname "$emulator")/exotel_emu/credentials.py")
cat > "$config" <<CONFIG
---
# Written by scripts/integration.sh for one run; git-ignored.
exotel_api_url: $url
exotel_emulator_url: $url
exotel_account_sid: $sid
exotel_api_key: $key
exotel_api_token: $token
exotel_live_prefix: anstest-
CONFIG

status=0
(cd "$collection_dir" && "$ANSIBLE_TEST" integration --local -v "$@") || status=$?
if [ "$status" -ne 0 ] && [ -s "$state_dir/emulator.log" ]; then
    echo "integration.sh: emulator output:" >&2
    tail -n 50 "$state_dir/emulator.log" >&2
fi
exit "$status"
