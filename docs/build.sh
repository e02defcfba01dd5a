#!/usr/bin/env bash
# Build the HTML documentation site (module pages from the real DOCUMENTATION/EXAMPLES/RETURN plus
# the guides in docs/docsite/) into build/docs/html, offline, with warnings as errors, then check
# every local link of the built pages.
# Usage: docs/build.sh <python with antsibull-docs, sphinx, sphinx-ansible-theme and ansible-core>
set -euo pipefail
python=${1:-python3}
case "$python" in */*) python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")" ;; *) python=$(command -v "$python") ;; esac
bindir=$(dirname "$python")
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/docs"
rm -rf "$out"
mkdir -p "$out/collections/ansible_collections/exotel"
chmod 700 "$out"
# antsibull-docs reads the collection through ansible-doc, from an ansible_collections path.
ln -s "$root" "$out/collections/ansible_collections/exotel/trunking"
export ANSIBLE_COLLECTIONS_PATH="$out/collections"
export PATH="$bindir:$PATH"
cp "$root/docs/sphinx/conf.py" "$root/docs/sphinx/antsibull-docs.cfg" "$out/"
"$python" "$root/docs/sphinx/make_inventory.py" "$root/docs/sphinx/ansible_devel_labels.txt" "$out/ansible_devel.inv"
mkdir -m 700 "$out/rst"
cd "$out"
"$bindir/antsibull-docs" --config-file antsibull-docs.cfg collection --use-current --cleanup everything \
  --dest-dir rst exotel.trunking
cp "$root/docs/sphinx/index.rst" rst/index.rst
"$bindir/sphinx-build" -q -b html rst html -c . -W --keep-going
"$python" "$root/docs/sphinx/check_links.py" "$out/html"
echo "Documentation built in $out/html (start at collections/exotel/trunking/index.html)"
