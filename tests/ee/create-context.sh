#!/usr/bin/env bash
# Check that ansible-builder turns tests/ee/execution-environment.yml into a build context that
# installs this collection and its Python requirements. Needs no container engine.
# Usage: tests/ee/create-context.sh <ansible-builder> <collection tarball> <work dir>
set -euo pipefail
builder=$1
tarball=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
cp "$here/execution-environment.yml" "$work/"
cp "$tarball" "$work/exotel-trunking.tar.gz"
cd "$work"
"$builder" create -f execution-environment.yml --context context --output-filename Containerfile -v 1 >create.log 2>&1 || { cat create.log; exit 1; }
test -f context/Containerfile || { echo "no Containerfile in the build context"; exit 1; }
grep -q "ansible-galaxy" context/Containerfile || { echo "the Containerfile installs no collections"; exit 1; }
test -f context/_build/collections/exotel-trunking.tar.gz || { echo "the collection tarball is not in the build context"; exit 1; }
tar -xzOf exotel-trunking.tar.gz meta/execution-environment.yml | grep -q "ee-requirements.txt" \
  || { echo "the tarball does not declare meta/ee-requirements.txt"; exit 1; }
tar -tzf exotel-trunking.tar.gz meta/ee-requirements.txt >/dev/null \
  || { echo "meta/ee-requirements.txt is missing from the tarball"; exit 1; }
echo "ansible-builder build context created in $work/context"
